using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Campaigns.Api.Idempotency;

/// <summary>
/// A hash of what a request asks for: method, path and the body compared as parsed JSON, so member
/// order and white space do not make two identical requests differ.
/// </summary>
public static class RequestFingerprint
{
    public static byte[] Compute(string method, string path, JsonNode? body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(method);
            writer.WriteStringValue(path);
            WriteCanonical(writer, body);
            writer.WriteEndArray();
        }
        return SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>A 64-bit number for the key, for a transaction-scoped advisory lock.</summary>
    public static long LockKey(string scope, string key) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}\n{key}")), 0);

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    WriteCanonical(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                // 1, 1.0 and 1e0 are the same number.
                if (value.TryGetValue<long>(out var integer))
                {
                    writer.WriteNumberValue(integer);
                }
                else
                {
                    writer.WriteNumberValue(value.GetValue<decimal>());
                }
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
