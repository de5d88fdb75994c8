using System.Runtime.InteropServices;
using System.Text;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>A UTF-8 string pinned for as long as it is not disposed, as Dawn takes strings (labels, WGSL, keys).</summary>
internal sealed unsafe class PinnedUtf8 : IDisposable
{
    private GCHandle _pin;

    public PinnedUtf8(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        _pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        View = new WGPUStringView { Data = (byte*)_pin.AddrOfPinnedObject(), Length = (nuint)bytes.Length };
    }

    /// <summary>The string as Dawn takes it (empty when the string is null or empty).</summary>
    public WGPUStringView View { get; }

    public void Dispose()
    {
        if (_pin.IsAllocated)
        {
            _pin.Free();
        }
    }
}
