using StackExchange.Redis;

namespace Campaigns.Core.Queue;

/// <summary>
/// One job on the <c>campaign_sends</c> stream: the message to deliver, the queue stamp its row was given
/// when this job was published, and the W3C <c>traceparent</c> of whoever queued it. Postgres holds
/// everything else; a job is only a nudge, so duplicates are harmless. Client <c>tracestate</c> is not
/// carried: it can be kilobytes, and a send writes one job per recipient.
/// </summary>
public readonly record struct SendJob(long OutboundMessageId, DateTime QueuedAt, string? TraceParent)
{
    public const string MessageIdField = "outbound_message_id";
    public const string QueuedAtField = "queued_at";
    public const string TraceParentField = "traceparent";

    public NameValueEntry[] ToEntries() => TraceParent is { Length: > 0 }
        ? [new(MessageIdField, OutboundMessageId), new(QueuedAtField, QueueStamp.ToMicroseconds(QueuedAt)), new(TraceParentField, TraceParent)]
        : [new(MessageIdField, OutboundMessageId), new(QueuedAtField, QueueStamp.ToMicroseconds(QueuedAt))];

    /// <summary>Reads a stream entry; an entry without a valid message id and stamp is not a job (null).</summary>
    public static SendJob? FromEntry(StreamEntry entry)
    {
        long? id = null, queuedAt = null;
        string? traceParent = null;
        foreach (var value in entry.Values)
        {
            switch ((string?)value.Name)
            {
                case MessageIdField when long.TryParse((string?)value.Value, out var parsed) && parsed > 0:
                    id = parsed;
                    break;
                case QueuedAtField when long.TryParse((string?)value.Value, out var stamp):
                    queuedAt = stamp;
                    break;
                case TraceParentField:
                    traceParent = value.Value;
                    break;
            }
        }
        return id is { } messageId && queuedAt is { } micros && QueueStamp.TryFromMicroseconds(micros, out var stamped)
            ? new SendJob(messageId, stamped, traceParent)
            : null;
    }
}
