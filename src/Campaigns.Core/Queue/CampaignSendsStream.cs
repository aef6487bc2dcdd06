namespace Campaigns.Core.Queue;

/// <summary>Names shared by the API (producer) and the workers (consumers) of the send queue.</summary>
public static class CampaignSendsStream
{
    /// <summary>The stream, or with several shards the prefix of each shard's stream (<see cref="SendQueueShards"/>).</summary>
    public const string Name = "campaign_sends";
    public const string ConsumerGroup = "campaign-workers";

    /// <summary>Jobs sent to Redis in one pipelined flush.</summary>
    public const int PublishBatchSize = 5_000;
}
