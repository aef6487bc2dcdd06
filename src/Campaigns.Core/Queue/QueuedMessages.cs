namespace Campaigns.Core.Queue;

/// <summary>
/// Pending messages just marked queued with one stamp (<c>outbound_messages.queued_at</c>), to be published
/// after the commit that stamped them. Each job carries the stamp; a claim accepts only the job whose stamp
/// the row still holds, so a stale or duplicate job claims nothing. <paramref name="CampaignId"/>, when all are one
/// campaign's, goes into every job (<see cref="SendJob.CampaignId"/>).
/// </summary>
public sealed record QueuedMessages(IReadOnlyList<long> MessageIds, DateTime QueuedAt, long? CampaignId = null)
{
    public static readonly QueuedMessages None = new([], DateTime.UnixEpoch);

    public int Count => MessageIds.Count;
}
