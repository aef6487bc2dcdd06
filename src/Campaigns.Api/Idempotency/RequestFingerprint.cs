using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Campaigns.Api.Idempotency;

/// <summary>
/// A hash of what a request asks for: method, path and the body compared as parsed JSON, so member
/// order and white space do not make two identical requests differ.
/// </summary>
public static class RequestFingerprint
{
    /// <summary>
    /// Of the body as bound: unknown members are already gone and absent equals null, so only what
    /// the endpoint reads can make two requests differ (and nothing it ignores can break the hash).
    /// </summary>
    public static byte[] Compute(string method, string path, object? body, JsonSerializerOptions json)
    {
        var withoutNulls = new JsonSerializerOptions(json) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        return Compute(method, path, body is null ? null : JsonSerializer.SerializeToNode(body, body.GetType(), withoutNulls));
    }

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
                WriteCanonicalNumber(writer, value);
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>1, 1.0 and 1e0 are the same number; one beyond decimal (1e30) or double (1e400) is kept as written.</summary>
    private static void WriteCanonicalNumber(Utf8JsonWriter writer, JsonValue value)
    {
        if (value.TryGetValue<long>(out var integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (value.TryGetValue<decimal>(out var exact))
        {
            if (exact == decimal.Truncate(exact) && exact is >= long.MinValue and <= long.MaxValue)
            {
                writer.WriteNumberValue((long)exact);
            }
            else
            {
                // Dividing by a one of maximal scale drops trailing zeros: 1.50 becomes 1.5.
                writer.WriteNumberValue(exact / 1.0000000000000000000000000000m);
            }
        }
        else if (value.TryGetValue<double>(out var approximate) && double.IsFinite(approximate))
        {
            writer.WriteNumberValue(approximate);
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
