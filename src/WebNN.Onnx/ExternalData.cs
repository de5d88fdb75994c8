using System.Globalization;
using Google.Protobuf;

namespace WebNN.Onnx;

/// <summary>
/// Reads the values a model keeps outside itself (ONNX external data: a tensor with <c>data_location</c> EXTERNAL and
/// the keys <c>location</c>, <c>offset</c> and <c>length</c>) into its tensors as raw data, so that the rest of the
/// importer sees embedded values. A location is a path relative to the model's directory and must stay inside it.
/// </summary>
internal static class ExternalData
{
    /// <summary>Embeds the external values of every tensor of <paramref name="graph"/>: initializers, node attributes and subgraphs.</summary>
    /// <param name="graph">The graph, changed in place.</param>
    /// <param name="directory">The model's directory; null when the model came from a stream without one.</param>
    public static void Embed(GraphProto graph, string? directory)
    {
        foreach (var tensor in graph.Initializer)
        {
            Embed(tensor, directory);
        }
        foreach (var attribute in graph.Node.SelectMany(n => n.Attribute))
        {
            if (attribute.T is { } tensor) Embed(tensor, directory);
            foreach (var element in attribute.Tensors) Embed(element, directory);
            if (attribute.G is { } subgraph) Embed(subgraph, directory);
            foreach (var element in attribute.Graphs) Embed(element, directory);
        }
    }

    private static void Embed(TensorProto tensor, string? directory)
    {
        if (tensor.DataLocation != TensorProto.Types.DataLocation.External)
        {
            return;
        }
        string what = $"Tensor '{tensor.Name}'";
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case "location": location = entry.Value; break;
                case "offset": offset = ByteCount(entry, what); break;
                case "length": length = ByteCount(entry, what); break;
                // checksum (a SHA-1 of the bytes) and any other key leave the values as they are.
            }
        }
        if (string.IsNullOrEmpty(location))
        {
            throw new OnnxFormatException($"{what} keeps its values in an external file but names no location.");
        }
        if (directory is null)
        {
            throw new OnnxUnsupportedException("", "", $"{what} keeps its values in external file '{location}', relative to the model's directory, " +
                "which a model read from a stream does not have; load the model from its path, or pass the directory to OnnxModel.Load(stream, externalDataDirectory).");
        }
        string root = Path.GetFullPath(directory);
        string path = Path.GetFullPath(Path.Combine(root, location));
        if (!IsInside(root, path) || EscapesThroughLink(root, path))
        {
            throw new OnnxFormatException($"{what} names external file '{location}', which lies outside the model's directory ({root}).");
        }
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new OnnxFormatException($"{what} keeps its values in external file '{location}', which does not exist in {root}.");
        }
        long count = length ?? file.Length - offset;
        if (offset > file.Length || count > file.Length - offset)
        {
            throw new OnnxFormatException($"{what} reads {(length is null ? "to the end" : $"{count} bytes")} from offset {offset} of external file '{location}', which has {file.Length} bytes.");
        }
        if (count > Array.MaxLength)
        {
            throw new OnnxUnsupportedException("", "", $"{what} has {count} bytes of external data, more than one array holds ({Array.MaxLength}).");
        }
        var bytes = new byte[count];
        using (var stream = file.OpenRead())
        {
            stream.Position = offset;
            stream.ReadExactly(bytes);
        }
        // The array is not shared, so protobuf may hold it without a copy.
        tensor.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
        tensor.ExternalData.Clear();
        tensor.ClearDataLocation();
    }

    private static bool IsInside(string root, string path)
    {
        string relative = Path.GetRelativePath(root, path);
        return !(relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative));
    }

    /// <summary>Whether a directory or file on the way from <paramref name="root"/> to <paramref name="path"/> is a link to outside root.</summary>
    private static bool EscapesThroughLink(string root, string path)
    {
        string current = root;
        foreach (string part in Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, part);
            FileSystemInfo entry = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (entry.LinkTarget is not null && entry.ResolveLinkTarget(returnFinalTarget: true) is { } target && !IsInside(root, target.FullName))
            {
                return true;
            }
        }
        return false;
    }

    private static long ByteCount(StringStringEntryProto entry, string what) =>
        long.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new OnnxFormatException($"{what} has external data {entry.Key} '{entry.Value}', which is not a non-negative whole number of bytes.");
}
