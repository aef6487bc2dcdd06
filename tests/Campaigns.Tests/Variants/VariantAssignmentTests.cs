using Campaigns.Core.Content;

namespace Campaigns.Tests.Variants;

/// <summary>Who gets which variant, and who is in an A/B test's sample: stable, weighted, independent (no graph).</summary>
public sealed class VariantAssignmentTests
{
    private static readonly VariantContent[] ThreeWays =
    [
        new("a", "A {first_name}", 1),
        new("b", "B {first_name}", 2),
        new("c", "C {first_name}", 7),
    ];

    [Fact]
    public void The_same_customer_always_gets_the_same_variant_of_a_campaign()
    {
        for (var customer = 1L; customer <= 1_000; customer++)
        {
            var first = VariantAssignment.Pick(42, customer, ThreeWays);
            Assert.Equal(first, VariantAssignment.Pick(42, customer, ThreeWays));
            Assert.Equal(first, VariantAssignment.Pick(42, customer, [.. ThreeWays]));
        }
        // Fixed values: no process, version or machine changes them.
        Assert.Equal([VariantAssignment.SampleRank(42, 7), VariantAssignment.SampleRank(42, 7)],
            [VariantAssignment.SampleRank(42, 7), VariantAssignment.SampleRank(42, 7)]);
        Assert.True(VariantAssignment.SampleRank(42, 7) >= 0);
    }

    [Theory]
    [InlineData(1L, new[] { 1, 2, 7 })]
    [InlineData(977L, new[] { 1, 1 })]
    [InlineData(31337L, new[] { 5, 3, 1, 1, 10 })]
    public void Proportions_are_within_two_percent_of_the_weights_at_ten_thousand_recipients(long campaignId, int[] weights)
    {
        var variants = weights.Select((w, i) => new VariantContent($"v{i}", "x", w)).ToArray();
        var counts = new Dictionary<string, int>();
        for (var customer = 100_000L; customer < 110_000L; customer++)
        {
            var key = VariantAssignment.Pick(campaignId, customer, variants);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var total = weights.Sum();
        foreach (var variant in variants)
        {
            var share = counts.GetValueOrDefault(variant.Key) / 10_000.0;
            Assert.InRange(share, (double)variant.Weight / total - 0.02, (double)variant.Weight / total + 0.02);
        }
    }

    [Fact]
    public void Another_campaign_assigns_differently()
    {
        var differ = Enumerable.Range(1, 1_000).Count(c => VariantAssignment.Pick(1, c, ThreeWays) != VariantAssignment.Pick(2, c, ThreeWays));
        Assert.InRange(differ, 300, 700);
    }

    [Fact]
    public void The_sample_is_the_ceiling_of_its_percent_of_lowest_ranks_and_still_split_by_weight()
    {
        var sample = new AbTestSample(7);
        for (var customer = 1L; customer <= 10_000; customer++)
        {
            sample.Add(customer);
        }

        var ids = sample.CustomerIds(20);

        Assert.Equal(2_000, ids.Length);
        Assert.Equal(ids.Order(), ids);
        var ranks = Enumerable.Range(1, 10_000).Select(c => VariantAssignment.SampleRank(7, c)).Order().ToArray();
        Assert.All(ids, id => Assert.True(VariantAssignment.SampleRank(7, id) <= ranks[1_999]));
        var inA = ids.Count(id => VariantAssignment.Pick(7, id, ThreeWays) == "a");
        Assert.InRange(inA / 2_000.0, 0.1 - 0.03, 0.1 + 0.03);
        Assert.Equal(1, AbTestSample.SizeOf(1, 1));
        Assert.Equal(11, AbTestSample.SizeOf(101, 10));
        Assert.Equal(10, AbTestSample.SizeOf(100, 10));
        Assert.Equal(0, AbTestSample.SizeOf(0, 50));
    }

    [Fact]
    public void The_winner_has_the_highest_rate_with_ties_to_the_lowest_key()
    {
        VariantContent[] variants = [new("b", "x", 1), new("a", "x", 1), new("c", "x", 1)];
        AbTestDecision.Score S(int sample, int count) => new(sample, count);

        Assert.Equal("c", AbTestDecision.Winner(variants, new Dictionary<string, AbTestDecision.Score>
        {
            ["a"] = S(10, 3), ["b"] = S(100, 20), ["c"] = S(3, 1),
        }));
        Assert.Equal("a", AbTestDecision.Winner(variants, new Dictionary<string, AbTestDecision.Score>
        {
            ["a"] = S(10, 2), ["b"] = S(5, 1), ["c"] = S(20, 4),
        }));
        Assert.Equal("a", AbTestDecision.Winner(variants, new Dictionary<string, AbTestDecision.Score>()));
        Assert.Equal("b", AbTestDecision.Winner(variants, new Dictionary<string, AbTestDecision.Score> { ["b"] = S(1, 1), ["a"] = S(0, 0) }));
    }
}
