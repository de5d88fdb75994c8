using System.Runtime.InteropServices;

namespace WebNN.Cuda.Interop;

/// <summary>
/// cuBLAS (cublas_api.h) from libcublas.so.13. cuBLAS is column-major; callers pass row-major matrices
/// as their transposes. Every call returns a cublasStatus_t; <see cref="Check"/> turns a failure into a
/// <see cref="CudaException"/> with cuBLAS's name for it.
/// </summary>
internal static partial class Cublas
{
    private const string Library = "libcublas.so.13";

    // cublasOperation_t
    public const int OpN = 0;
    public const int OpT = 1;

    // cublasMath_t
    public const int Tf32TensorOpMath = 3;

    [LibraryImport(Library)]
    public static partial int cublasCreate_v2(out nint handle);

    [LibraryImport(Library)]
    public static partial int cublasDestroy_v2(nint handle);

    /// <summary>libraryPropertyType: MAJOR_VERSION = 0, MINOR_VERSION = 1.</summary>
    [LibraryImport(Library)]
    public static partial int cublasGetProperty(int property, out int value);

    [LibraryImport(Library)]
    public static partial int cublasSetStream_v2(nint handle, nint stream);

    [LibraryImport(Library)]
    public static partial int cublasSetMathMode(nint handle, int mode);

    // cudaDataType_t
    public const int DataFloat32 = 0;
    public const int DataFloat16 = 2;

    // cublasComputeType_t
    public const int Compute32F = 68;
    public const int Compute32FFastTf32 = 77;

    // cublasGemmAlgo_t
    public const int GemmDefault = -1;

    /// <summary>Strided batched C = alpha·op(A)·op(B) + beta·C on matrices of the given cudaDataType_t; alpha and beta are floats for the 32F compute types.</summary>
    [LibraryImport(Library)]
    public static unsafe partial int cublasGemmStridedBatchedEx(
        nint handle, int transA, int transB, int m, int n, int k, float* alpha, ulong a, int aType, int lda, long strideA,
        ulong b, int bType, int ldb, long strideB, float* beta, ulong c, int cType, int ldc, long strideC, int batchCount, int computeType, int algo);

    [LibraryImport(Library)]
    private static partial nint cublasGetStatusName(int status);

    /// <summary>Throws a <see cref="CudaException"/> naming <paramref name="call"/> and cuBLAS's status when it is not CUBLAS_STATUS_SUCCESS.</summary>
    public static void Check(int status, string call)
    {
        if (status != 0)
        {
            throw new CudaException($"{call} failed: {Marshal.PtrToStringUTF8(cublasGetStatusName(status))} ({status}).");
        }
    }
}
