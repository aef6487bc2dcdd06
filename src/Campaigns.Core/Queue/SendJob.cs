using StackExchange.Redis;

namespace Campaigns.Core.Queue;

/// <summary>
/// One job on the <c>campaign_sends</c> stream: the message to deliver and the W3C trace context of
/// whoever queued it. Postgres holds everything else; a job is only a nudge, so duplicates are harmless.
/// </summary>
public readonly record struct SendJob(long OutboundMessageId, string? TraceParent, string? TraceState)
{
    public const string MessageIdField = "outbound_message_id";
    public const string TraceParentField = "traceparent";
    public const string TraceStateField = "tracestate";

    public NameValueEntry[] ToEntries() => TraceState is { Length: > 0 }
        ? [new(MessageIdField, OutboundMessageId), new(TraceParentField, TraceParent), new(TraceStateField, TraceState)]
        : TraceParent is { Length: > 0 }
            ? [new(MessageIdField, OutboundMessageId), new(TraceParentField, TraceParent)]
            : [new(MessageIdField, OutboundMessageId)];

    /// <summary>Reads a stream entry; an entry without a valid message id is not a job (null).</summary>
    public static SendJob? FromEntry(StreamEntry entry)
    {
        long? id = null;
        string? traceParent = null, traceState = null;
        foreach (var value in entry.Values)
        {
            switch ((string?)value.Name)
            {
                case MessageIdField when long.TryParse((string?)value.Value, out var parsed) && parsed > 0:
                    id = parsed;
                    break;
                case TraceParentField:
                    traceParent = value.Value;
                    break;
                case TraceStateField:
                    traceState = value.Value;
                    break;
            }
        }
        return id is { } messageId ? new SendJob(messageId, traceParent, traceState) : null;
    }
}
