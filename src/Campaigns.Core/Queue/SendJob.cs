using StackExchange.Redis;

namespace Campaigns.Core.Queue;

/// <summary>
/// One job on the <c>campaign_sends</c> stream: the message to deliver, the queue stamp its row was given
/// when this job was published, and the W3C <c>traceparent</c> of whoever queued it. Postgres holds
/// everything else; a job is only a nudge, so duplicates are harmless. Client <c>tracestate</c> is not
/// carried: it can be kilobytes, and a send writes one job per recipient. The message's campaign, when the
/// publisher knows it, lets the claim find the row in its partition (docs/scale.md, "Partitioned messages");
/// a job without it (published before it was carried, or by the retry driver) is claimed all the same.
/// </summary>
public readonly record struct SendJob(long OutboundMessageId, DateTime QueuedAt, string? TraceParent, long? CampaignId = null)
{
    public const string MessageIdField = "outbound_message_id";
    public const string QueuedAtField = "queued_at";
    public const string TraceParentField = "traceparent";
    public const string CampaignIdField = "campaign_id";

    public NameValueEntry[] ToEntries()
    {
        var entries = new List<NameValueEntry>(4)
        {
            new(MessageIdField, OutboundMessageId),
            new(QueuedAtField, QueueStamp.ToMicroseconds(QueuedAt)),
        };
        if (TraceParent is { Length: > 0 })
        {
            entries.Add(new(TraceParentField, TraceParent));
        }
        if (CampaignId is { } campaignId)
        {
            entries.Add(new(CampaignIdField, campaignId));
        }
        return [.. entries];
    }

    /// <summary>Reads a stream entry; an entry without a valid message id and stamp is not a job (null).</summary>
    public static SendJob? FromEntry(StreamEntry entry)
    {
        long? id = null, queuedAt = null, campaignId = null;
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
                case CampaignIdField when long.TryParse((string?)value.Value, out var campaign) && campaign > 0:
                    campaignId = campaign;
                    break;
                case TraceParentField:
                    traceParent = value.Value;
                    break;
            }
        }
        return id is { } messageId && queuedAt is { } micros && QueueStamp.TryFromMicroseconds(micros, out var stamped)
            ? new SendJob(messageId, stamped, traceParent, campaignId)
            : null;
    }
}
