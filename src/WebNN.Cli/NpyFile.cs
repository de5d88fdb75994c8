using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WebNN.Cli;

/// <summary>
/// Reads NumPy's .npy format (numpy.org/doc/stable/reference/generated/numpy.lib.format.html): the magic, a version,
/// a Python dict header giving dtype, order and shape, then the little-endian values. Float32 ('&lt;f4') and int64
/// ('&lt;i8') arrays in C order, which is what model inputs are.
/// </summary>
internal static partial class NpyFile
{
    public static (MLOperandDataType DataType, int[] Shape, byte[] Data) Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot read '{path}': {e.Message}");
        }
        if (bytes.Length < 10 || bytes[0] != 0x93 || !bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8))
        {
            throw new UsageException($"'{path}' is not a .npy file (it does not start with \\x93NUMPY).");
        }
        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : BitConverter.ToInt32(bytes, 8);
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        if (dataStart > bytes.Length)
        {
            throw new UsageException($"'{path}' is truncated: its header needs {dataStart} bytes, the file has {bytes.Length}.");
        }
        string header = Encoding.Latin1.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        var descr = DescrPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !shape.Success)
        {
            throw new UsageException($"'{path}' has a header without descr or shape: {header.Trim()}");
        }
        if (FortranPattern().IsMatch(header))
        {
            throw new UsageException($"'{path}' is in Fortran order; save it in C order (numpy.ascontiguousarray).");
        }
        var dataType = descr.Groups[1].Value switch
        {
            "<f4" => MLOperandDataType.Float32,
            "<i8" => MLOperandDataType.Int64,
            var other => throw new UsageException($"'{path}' holds dtype '{other}'; only float32 ('<f4') and int64 ('<i8') are read."),
        };
        int[] dims = [.. shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, NumberStyles.Integer, CultureInfo.InvariantCulture))];
        long length = dims.Aggregate(1L, (a, b) => a * b) * dataType.ByteSize();
        if (bytes.Length - dataStart != length)
        {
            throw new UsageException($"'{path}' holds {bytes.Length - dataStart} bytes of data; {dataType.SpecName()}[{string.Join(", ", dims)}] needs {length}.");
        }
        return (dataType, dims, bytes[dataStart..]);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();
}
