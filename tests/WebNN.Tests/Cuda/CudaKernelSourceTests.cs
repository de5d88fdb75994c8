using WebNN.Cuda;
using WebNN.Cuda.Kernels;

namespace WebNN.Tests.Cuda;

/// <summary>The parts of the cuda backend that need no GPU: generated kernel sources, batch plans and memory plans.</summary>
public sealed class CudaKernelSourceTests
{
    private static CudaValue Value(params int[] shape) => new(MLOperandDataType.Float32, shape);

    [Fact]
    public void A_broadcast_operand_steps_only_along_the_axes_it_has()
    {
        var output = Value(2, 3, 4);
        string source = ElementwiseKernels.Source("k0", [2, 3, 4], StridedAccess.Contiguous(output),
            [StridedAccess.Contiguous(Value(2, 3, 4)), StridedAccess.Broadcast(Value(3, 1), [2, 3, 4])], "y = x0 + x1;");
        Assert.Contains("extern \"C\" __global__ void k0(const float* in0, const float* in1, float* out)", source);
        Assert.Contains("if (i >= 24) return;", source);
        // The first input and the output are read and written at i; the broadcast one steps by 1 along axis 1 only.
        Assert.Contains("const float x0 = in0[i];", source);
        Assert.Contains("const float x1 = in1[a1];", source);
        Assert.Contains("c = r % 3; r /= 3;\n    a1 += c * 1;", source);
        Assert.DoesNotContain("a1 += c * 0", source);
        Assert.Contains("out[i] = y;", source);
        Assert.Contains("const int i", source);
    }

    [Fact]
    public void An_access_must_have_a_stride_per_axis_of_the_iteration_shape()
    {
        // A [2, 3, 4] value read contiguously cannot walk a [6, 4] iteration: its strides are of another shape.
        var value = Value(2, 3, 4);
        Assert.Throws<ArgumentException>(() => ElementwiseKernels.Source("k0", [6, 4], StridedAccess.Contiguous(value), [StridedAccess.Contiguous(Value(6, 4))], "y = x0;"));
        Assert.Contains("out[i] = y;", ElementwiseKernels.Source("k0", [6, 4], new StridedAccess(value, 0, [4, 1]), [StridedAccess.Contiguous(Value(6, 4))], "y = x0;"));
    }

    [Fact]
    public void Broadcast_and_permuted_strides_follow_the_operand_layout()
    {
        Assert.Equal([0L, 1, 0], StridedAccess.Broadcast(Value(3, 1), [2, 3, 4]).Strides);
        Assert.Equal([0L, 0, 1], StridedAccess.Broadcast(Value(4), [2, 3, 4]).Strides);
        Assert.Equal([1L, 12, 4], StridedAccess.Permuted(Value(2, 3, 4), [2, 0, 1]).Strides);
    }

    [Fact]
    public void A_padded_operand_reads_zero_outside_itself()
    {
        var input = Value(1, 2, 3, 1);
        string source = ElementwiseKernels.Source("k1", [1, 5, 4, 1], StridedAccess.Contiguous(Value(1, 5, 4, 1)), [StridedAccess.Padded(input, [0, 2, 1, 0])], "y = x0;");
        // Begins 2 rows and 1 column in: the start offset is -(2·3 + 1·1).
        Assert.Contains("int a0 = -7;", source);
        Assert.Contains("inside_a0 = inside_a0 && c >= 2 && c < 4;", source);
        Assert.Contains("inside_a0 = inside_a0 && c >= 1 && c < 4;", source);
        Assert.Contains("const float x0 = (inside_a0 ? in0[a0] : (float)0);", source);
    }

    [Fact]
    public void Float_constants_are_written_by_their_bits()
    {
        Assert.Equal("__int_as_float(0x3f800000)", ElementwiseKernels.FloatLiteral(1));
        Assert.Equal("__int_as_float(0xff800000)", ElementwiseKernels.FloatLiteral(double.NegativeInfinity));
        Assert.Contains("__int_as_float(0x3e4ccccd) * v", CudaOperators.ActivationExpression("leakyRelu", new ActivationAttributes(0.2, 0)));
    }

    [Fact]
    public void A_program_holds_each_distinct_kernel_once()
    {
        using var program = new CudaProgram();
        string first = program.Add(name => $"extern \"C\" __global__ void {name}(float* out) {{ out[0] = 1; }}");
        string again = program.Add(name => $"extern \"C\" __global__ void {name}(float* out) {{ out[0] = 1; }}");
        string other = program.Add(name => $"extern \"C\" __global__ void {name}(float* out) {{ out[0] = 2; }}");
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(2, program.Source.Split("__global__").Length - 1);
    }

    [Fact]
    public void Matmul_batches_merge_axes_and_broadcast_with_stride_zero()
    {
        // a [2, 3, M, K] against b [K, N]: one call over 6 matrices of a, b repeated.
        var batches = CublasGemm.Batches([2, 3], CublasGemm.BatchStrides([2, 3], [2, 3], 20), CublasGemm.BatchStrides([], [2, 3], 30), 24);
        Assert.Equal([new CublasGemm.Batch(0, 0, 0, 20, 0, 24, 6)], batches);

        // a [2, 1, M, K] against b [1, 3, K, N]: the axes do not merge, so two calls of three.
        batches = CublasGemm.Batches([2, 3], CublasGemm.BatchStrides([2, 1], [2, 3], 20), CublasGemm.BatchStrides([1, 3], [2, 3], 30), 24);
        Assert.Equal([new CublasGemm.Batch(0, 0, 0, 0, 30, 24, 3), new CublasGemm.Batch(20, 0, 72, 0, 30, 24, 3)], batches);
    }

    [Fact]
    public void The_arena_reuses_freed_blocks_and_keeps_live_ones_apart()
    {
        var plan = new ArenaPlan();
        long a = plan.Allocate(1000);
        long b = plan.Allocate(10);
        Assert.Equal(0, a);
        Assert.Equal(1024, b);
        plan.Free(a);
        Assert.Equal(0, plan.Allocate(512));
        Assert.Equal(512, plan.Allocate(256));
        Assert.Equal(1280, plan.Allocate(300));
        Assert.Equal(1792, plan.Size);
    }

    [Fact]
    public void A_reduction_walks_the_kept_axes_per_thread_and_the_reduced_ones_in_its_loop()
    {
        string source = WindowKernels.GroupSource("k2", Value(2, 3, 4), [1], "float acc = 0.0f;", [("acc = acc + v;", "")], [(MLOperandDataType.Float32, "acc")]);
        Assert.Contains("if (i >= 8) return;", source);
        Assert.Contains("c = r % 4; r /= 4; base += c * 1;", source);
        Assert.Contains("c = r % 2; r /= 2; base += c * 12;", source);
        Assert.Contains("for (int j = 0; j < 3; j++)", source);
        Assert.Contains("e = q % 3; q /= 3; a += e * 4;", source);
    }
}
