using Campaigns.Core.Recommendations;

namespace Campaigns.Tests.Recommendations;

/// <summary>
/// The contract's pick from the recommender's counts: the location's most common product that is not the customer's own,
/// then everyone's, else "". (The ranking itself, ties included, is SQL's: <see cref="RecommenderTests"/>.)
/// </summary>
public sealed class ProductPicksTests
{
    private static readonly ProductPicks Picks = new(
        new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["nairobi"] = ["Shoes", "Bags"], ["kisumu"] = ["Bags"] },
        ["Hats", "Shoes"]);

    [Theory]
    [InlineData("Nairobi", "", "Shoes")]       // the location's top, its name in any case
    [InlineData("NAIROBI", "Bags", "Shoes")]
    [InlineData("nairobi", "Shoes", "Bags")]   // never the customer's own: the location's next
    [InlineData("Kisumu", "Bags", "Hats")]     // the location has only their own: everyone's top
    [InlineData("Lamu", "Shoes", "Hats")]      // a location of nobody else: everyone's
    [InlineData("", "Hats", "Shoes")]          // no location: everyone's, their own excluded
    [InlineData("Lamu", "shoes", "Hats")]      // products compare exactly: "shoes" is not "Shoes"
    public void The_pick_is_the_locations_then_everyones_never_their_own(string location, string own, string expected)
    {
        Assert.Equal(expected, Picks.For(location, own));
    }

    [Fact]
    public void Without_another_product_anywhere_the_pick_is_empty()
    {
        var onlyTheirs = new ProductPicks(new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["lamu"] = ["Solo"] }, ["Solo"]);

        Assert.Equal("", onlyTheirs.For("Lamu", "Solo"));
        Assert.Equal("", ProductPicks.None.For("Lamu", ""));
    }
}
