using WebNN.Cpu;

namespace WebNN.Tests.Cpu;

public class AlignedMemoryTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(63, false)]
    [InlineData(4096, true)]
    [InlineData(100_003, false)]
    public void Buffers_start_on_a_cache_line_and_are_zeroed_when_asked(int length, bool zeroed)
    {
        // Several in a row, so that the arrays' own starts fall on different offsets.
        for (int i = 0; i < 8; i++)
        {
            var memory = AlignedMemory.Allocate(length, zeroed);
            Assert.Equal(length, memory.Length);
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(memory, out var segment));
            // The array lives on the pinned object heap, so its address holds still while it is read here.
            nint address = System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(segment.Array!, segment.Offset);
            Assert.Equal(0, address % AlignedMemory.CacheLine);
            if (zeroed) Assert.True(memory.Span.IndexOfAnyExcept((byte)0) < 0);
            memory.Span.Fill(0xAB);
        }
    }
}
