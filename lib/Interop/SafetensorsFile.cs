using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace SplitBrain.Interop;

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{name: {"dtype", "shape", "data_offsets": [begin, end]}}</c>, padded with spaces to 8 bytes), then the tensors' raw
/// little-endian bytes. Written here rather than with TorchSharp.PyBridge's <c>Safetensors</c> class: PyBridge is built
/// against TorchSharp 0.103, and in a .NET Interactive kernel its methods that take tensors are not found
/// (<c>MissingMethodException</c>), while a test host or an app binds them to 0.107 (environment/README.md).
/// </summary>
internal static class SafetensorsFile
{
    private static readonly (string Name, ScalarType Type)[] Types =
    [
        ("F64", ScalarType.Float64), ("F32", ScalarType.Float32), ("F16", ScalarType.Float16), ("BF16", ScalarType.BFloat16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    ];

    /// <summary>Writes the tensors (CPU, contiguous) in the given order.</summary>
    internal static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var length = tensor.NumberOfElements * tensor.ElementSize;
            var shape = new JsonArray([.. tensor.shape.Select(d => (JsonNode)JsonValue.Create(d))]);
            header[name] = new JsonObject
            {
                ["dtype"] = NameOf(tensor.dtype),
                ["shape"] = shape,
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + length)),
            };
            offset += length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)padded);
        stream.Write(size);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++)
            stream.WriteByte((byte)' ');
        foreach (var (_, tensor) in tensors)
            stream.Write(tensor.bytes);
    }

    /// <summary>The tensors of a file, by name, in file order; <see cref="InvalidDataException"/> when it is not one.</summary>
    internal static Dictionary<string, Tensor> Read(string path)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length < 8)
            throw new InvalidDataException($"{data.Length} bytes are too few for a safetensors file");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (length > (ulong)(data.Length - 8))
            throw new InvalidDataException($"its header length {length} exceeds the file's {data.Length} bytes");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(data.AsSpan(8, (int)length))?.AsObject() ?? throw new InvalidDataException("its header is null");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"its header is not a JSON object ({e.Message})");
        }
        var body = 8 + (int)length;
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
                continue;
            var entry = node as JsonObject ?? throw new InvalidDataException($"the entry '{name}' is not an object");
            var typeName = entry["dtype"]?.GetValue<string>();
            var type = Types.FirstOrDefault(t => t.Name == typeName);
            if (type.Name is null)
                throw new InvalidDataException($"the tensor '{name}' has the unknown dtype {typeName}");
            var shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = entry["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var tensor = empty(shape, type.Type);
            var bytes = tensor.NumberOfElements * tensor.ElementSize;
            if (offsets.Length != 2 || offsets[1] - offsets[0] != bytes || offsets[0] < 0 || body + offsets[1] > data.Length)
                throw new InvalidDataException($"the tensor '{name}' has data offsets [{string.Join(", ", offsets)}] that do not fit its shape or the file");
            tensor.bytes = data.AsSpan(body + (int)offsets[0], (int)bytes);
            tensors[name] = tensor;
        }
        return tensors;
    }

    private static string NameOf(ScalarType type) =>
        Types.FirstOrDefault(t => t.Type == type).Name ?? throw new ArgumentException($"safetensors has no dtype for {type}.");
}
