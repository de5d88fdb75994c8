using System.Runtime.InteropServices;
using System.Text;
using WebGpu.Interop;

namespace WebGpu;

/// <summary>UTF-8 strings pinned for the duration of one Dawn call.</summary>
internal unsafe ref struct Utf8String : IDisposable
{
    private GCHandle _pin;

    public Utf8String(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            View = default;
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        _pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        View = new WGPUStringView { Data = (byte*)_pin.AddrOfPinnedObject(), Length = (nuint)bytes.Length };
    }

    /// <summary>The string as Dawn takes it.</summary>
    public WGPUStringView View { get; }

    public void Dispose()
    {
        if (_pin.IsAllocated)
        {
            _pin.Free();
        }
    }
}
