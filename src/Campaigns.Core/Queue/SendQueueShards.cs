using System.Text;
using StackExchange.Redis;

namespace Campaigns.Core.Queue;

/// <summary>
/// The streams of the send queue (<see cref="QueueOptions.Shards"/>) and which one a message's job goes to. With one
/// shard the stream is <c>campaign_sends</c>, as it always was. With N, shard i is <c>campaign_sends:{tag}</c>, its
/// hash tag chosen so that its cluster slot lies in the i-th N-th of the 16,384 slots: a cluster that splits its slots
/// evenly among its masters (as <c>redis-cli --cluster create</c> does) then gives each master its share of the shards.
/// A message's job goes to shard <c>id mod N</c>: every campaign is spread over all shards, evenly.
/// </summary>
public sealed class SendQueueShards
{
    public const int MaxShards = 64;
    private const int ClusterSlots = 16_384;

    private readonly RedisKey[] _keys;

    public SendQueueShards(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxShards);
        _keys = count == 1
            ? [CampaignSendsStream.Name]
            : [.. Enumerable.Range(0, count).Select(shard => (RedisKey)$"{CampaignSendsStream.Name}:{{{TagFor(shard, count)}}}")];
    }

    public int Count => _keys.Length;

    /// <summary>Every shard's stream, shard 0 first.</summary>
    public IReadOnlyList<RedisKey> Keys => _keys;

    public RedisKey this[int shard] => _keys[shard];

    /// <summary>The shard of a message's jobs.</summary>
    public int ShardOf(long messageId) => (int)((ulong)messageId % (ulong)_keys.Length);

    /// <summary>The first of <c>i</c>, <c>i-1</c>, <c>i-2</c>… whose slot falls in the shard's share of the slots.</summary>
    private static string TagFor(int shard, int count)
    {
        var first = shard * ClusterSlots / count;
        var end = (shard + 1) * ClusterSlots / count;
        for (var attempt = 0; ; attempt++)
        {
            var tag = attempt == 0 ? $"{shard}" : $"{shard}-{attempt}";
            var slot = ClusterSlot(tag);
            if (slot >= first && slot < end)
            {
                return tag;
            }
        }
    }

    /// <summary>Redis Cluster's slot of a key (or hash tag): CRC16 (XMODEM) mod 16,384.</summary>
    public static int ClusterSlot(string tag)
    {
        var crc = 0;
        foreach (var b in Encoding.UTF8.GetBytes(tag))
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xFFFF;
            }
        }
        return crc % ClusterSlots;
    }
}
