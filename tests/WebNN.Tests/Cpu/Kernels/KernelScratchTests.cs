using WebNN.Cpu.Kernels;

namespace WebNN.Tests.Cpu.Kernels;

public class KernelScratchTests
{
    [Fact]
    public void A_returned_array_is_rented_again_after_full_garbage_collections()
    {
        // Integer scratch holds batch offsets, far shorter: this size's bucket holds only this test's array.
        const int Length = 777_777;
        int[] first = KernelScratch.Ints.Rent(Length);
        KernelScratch.Ints.Return(first);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        int[] again = KernelScratch.Ints.Rent(Length);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        KernelScratch.Ints.Return(again);
        Assert.Same(first, again);
        Assert.Equal(0, allocated);
    }
}
