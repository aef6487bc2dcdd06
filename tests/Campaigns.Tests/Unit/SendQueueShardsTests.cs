using Campaigns.Core.Queue;

namespace Campaigns.Tests.Unit;

/// <summary>The send queue's streams: one is the classic <c>campaign_sends</c>; several are hash-tagged and spread over a cluster's slots.</summary>
public sealed class SendQueueShardsTests
{
    [Fact]
    public void One_shard_is_the_single_campaign_sends_stream()
    {
        var shards = new SendQueueShards(1);

        Assert.Equal(["campaign_sends"], shards.Keys.Select(k => k.ToString()));
        Assert.Equal(0, shards.ShardOf(12_345));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(SendQueueShards.MaxShards)]
    public void Each_shard_has_a_hash_tag_whose_slot_lies_in_its_share_of_the_cluster_slots(int count)
    {
        var shards = new SendQueueShards(count);

        Assert.Equal(count, shards.Keys.Distinct().Count());
        for (var shard = 0; shard < count; shard++)
        {
            var key = shards[shard].ToString();
            Assert.StartsWith("campaign_sends:{", key);
            var tag = key["campaign_sends:{".Length..^1];
            Assert.InRange(SendQueueShards.ClusterSlot(tag), shard * 16_384 / count, (shard + 1) * 16_384 / count - 1);
        }
    }

    [Fact]
    public void Three_shards_land_on_the_three_masters_of_an_evenly_split_cluster()
    {
        // redis-cli --cluster create gives 3 masters 0–5460, 5461–10922 and 10923–16383.
        var shards = new SendQueueShards(3);
        var masters = shards.Keys.Select(k => SendQueueShards.ClusterSlot(k.ToString()["campaign_sends:{".Length..^1]) switch
        {
            <= 5460 => 0,
            <= 10922 => 1,
            _ => 2,
        });

        Assert.Equal([0, 1, 2], masters);
    }

    [Fact]
    public void Redis_cluster_slots_are_crc16_xmodem_mod_16384()
    {
        // The Redis Cluster specification's check value: CRC16("123456789") is 0x31C3 (below 16,384, so also its slot).
        Assert.Equal(0x31C3, SendQueueShards.ClusterSlot("123456789"));
    }

    [Fact]
    public void Messages_spread_evenly_over_the_shards_by_id()
    {
        var shards = new SendQueueShards(4);

        var counts = Enumerable.Range(1, 10_000).Select(id => shards.ShardOf(id)).CountBy(s => s).ToDictionary();

        Assert.Equal([0, 1, 2, 3], counts.Keys.Order());
        Assert.All(counts.Values, count => Assert.Equal(2_500, count));
    }
}
