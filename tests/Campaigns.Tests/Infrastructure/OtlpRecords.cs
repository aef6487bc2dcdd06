namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// Reads the few fields the tests look at out of OTLP/HTTP protobuf exports, straight from the wire
/// format (field numbers from opentelemetry-proto's trace.proto and logs.proto), without generated code.
/// </summary>
public static class OtlpRecords
{
    /// <summary>A span: its name, the instrumentation scope (ActivitySource) that made it, whether it has a parent, when it started, and its trace (hex).</summary>
    public sealed record Span(string Scope, string Name, bool IsRoot, DateTimeOffset Start, string TraceId);

    /// <summary>A log record: its category (the OTLP scope) and severity number (9 is Information, 13 Warning).</summary>
    public sealed record LogRecord(string Category, int Severity, string Body);

    public const int WarningSeverity = 13;

    /// <summary>ExportTraceServiceRequest: resource_spans (1) → scope_spans (2) → scope (1) name (1), spans (2).</summary>
    public static IEnumerable<Span> Spans(byte[] export)
    {
        foreach (var resourceSpans in Fields(export, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                var scope = ScopeName(scopeSpans);
                foreach (var span in Fields(scopeSpans, 2))
                {
                    // Span: trace_id (1), parent_span_id (4), name (5), start_time_unix_nano (7, fixed64).
                    var traceId = Convert.ToHexStringLower(Fields(span, 1).FirstOrDefault() ?? []);
                    var parent = Fields(span, 4).FirstOrDefault() ?? [];
                    var name = Text(Fields(span, 5).FirstOrDefault());
                    var start = Number(span, 7);
                    yield return new Span(scope, name, parent.Length == 0, DateTimeOffset.UnixEpoch.AddTicks((long)(start / 100)), traceId);
                }
            }
        }
    }

    /// <summary>ExportLogsServiceRequest: resource_logs (1) → scope_logs (2) → scope (1) name (1), log_records (2).</summary>
    public static IEnumerable<LogRecord> Logs(byte[] export)
    {
        foreach (var resourceLogs in Fields(export, 1))
        {
            foreach (var scopeLogs in Fields(resourceLogs, 2))
            {
                var category = ScopeName(scopeLogs);
                foreach (var record in Fields(scopeLogs, 2))
                {
                    // LogRecord: severity_number (2, varint), body (5, AnyValue: string_value 1).
                    var severity = (int)Number(record, 2);
                    var body = Fields(record, 5).FirstOrDefault() is { } value ? Text(Fields(value, 1).FirstOrDefault()) : "";
                    yield return new LogRecord(category, severity, body);
                }
            }
        }
    }

    private static string ScopeName(byte[] scoped) =>
        Fields(scoped, 1).FirstOrDefault() is { } scope ? Text(Fields(scope, 1).FirstOrDefault()) : "";

    private static string Text(byte[]? bytes) => bytes is null ? "" : System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>The length-delimited occurrences of a field in one message.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int field) =>
        Walk(message).Where(f => f.Field == field && f.Bytes is not null).Select(f => f.Bytes!);

    /// <summary>The first numeric occurrence of a field (varint or fixed), 0 when absent.</summary>
    private static ulong Number(byte[] message, int field) =>
        Walk(message).Where(f => f.Field == field && f.Bytes is null).Select(f => f.Value).FirstOrDefault();

    /// <summary>Every field of one message: numbers (varint, fixed32, fixed64) as Value, length-delimited ones as Bytes.</summary>
    private static List<(int Field, ulong Value, byte[]? Bytes)> Walk(byte[] message)
    {
        var fields = new List<(int, ulong, byte[]?)>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add((field, ReadVarint(message, ref position), null));
                    break;
                case 1:
                    fields.Add((field, BitConverter.ToUInt64(message, position), null));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    fields.Add((field, 0, message[position..(position + length)]));
                    position += length;
                    break;
                case 5:
                    fields.Add((field, BitConverter.ToUInt32(message, position), null));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected protobuf wire type {tag & 7}");
            }
        }
        return fields;
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
