using System.Runtime.InteropServices;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>The kinds of Dawn object, each with its own release function.</summary>
internal enum DawnObjectKind
{
    Instance, Adapter, Device, Queue, Buffer, ShaderModule, ComputePipeline, BindGroupLayout, PipelineLayout,
    BindGroup, CommandEncoder, ComputePassEncoder, CommandBuffer, QuerySet,
}

/// <summary>
/// One reference to a Dawn object, released exactly once (webgpu-headers' ownership rules: every
/// object returned by a Create/Get/Request call carries one reference that the caller releases).
/// </summary>
internal sealed class DawnHandle : SafeHandle
{
    private readonly DawnObjectKind _kind;

    public DawnHandle(DawnObjectKind kind, nint handle)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _kind = kind;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        switch (_kind)
        {
            case DawnObjectKind.Instance: Dawn.InstanceRelease(handle); break;
            case DawnObjectKind.Adapter: Dawn.AdapterRelease(handle); break;
            case DawnObjectKind.Device: Dawn.DeviceRelease(handle); break;
            case DawnObjectKind.Queue: Dawn.QueueRelease(handle); break;
            case DawnObjectKind.Buffer: Dawn.BufferRelease(handle); break;
            case DawnObjectKind.ShaderModule: Dawn.ShaderModuleRelease(handle); break;
            case DawnObjectKind.ComputePipeline: Dawn.ComputePipelineRelease(handle); break;
            case DawnObjectKind.BindGroupLayout: Dawn.BindGroupLayoutRelease(handle); break;
            case DawnObjectKind.PipelineLayout: Dawn.PipelineLayoutRelease(handle); break;
            case DawnObjectKind.BindGroup: Dawn.BindGroupRelease(handle); break;
            case DawnObjectKind.CommandEncoder: Dawn.CommandEncoderRelease(handle); break;
            case DawnObjectKind.ComputePassEncoder: Dawn.ComputePassEncoderRelease(handle); break;
            case DawnObjectKind.CommandBuffer: Dawn.CommandBufferRelease(handle); break;
            case DawnObjectKind.QuerySet: Dawn.QuerySetRelease(handle); break;
        }
        return true;
    }
}

/// <summary>
/// The base of every WebGPU object: holds its Dawn reference, releases it on <see cref="Dispose"/>
/// (idempotent and thread-safe), and throws <see cref="ObjectDisposedException"/> on use afterwards.
/// </summary>
public abstract class GPUObject : IDisposable
{
    private readonly DawnHandle _handle;
    private int _disposeStarted;

    /// <param name="kind">Which release function the handle needs.</param>
    /// <param name="handle">The reference the caller hands over.</param>
    /// <param name="label">The label given at creation.</param>
    /// <param name="owner">The device that created the object and disposes it when it is disposed itself.</param>
    private protected GPUObject(DawnObjectKind kind, nint handle, string label, GPUDevice? owner = null)
    {
        _handle = new DawnHandle(kind, handle);
        Label = label;
        owner?.Own(this);
    }

    /// <summary>The label given at creation (shown in Dawn's error messages).</summary>
    public string Label { get; }

    /// <summary>Whether <see cref="Dispose"/> has released the object.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>The Dawn handle, checked to be alive.</summary>
    internal nint Native
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Releases this object's reference to the Dawn object. Safe to call more than once, from any thread.</summary>
    public void Dispose()
    {
        // Only the first caller runs OnDispose, which still needs the handle; the others return at once.
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }
        OnDispose();
        _handle.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Work a subclass does before the reference goes (destroying GPU memory, for example).</summary>
    private protected virtual void OnDispose()
    {
    }

    /// <inheritdoc/>
    public override string ToString() => Label.Length == 0 ? GetType().Name : $"{GetType().Name} '{Label}'";
}
