using Campaigns.Core.Templates;

namespace Campaigns.Core.Recommendations;

/// <summary>
/// The built-in recommender's answer, small whatever the audience: the two most common products of each location and
/// of everyone (most common first; ties: the ordinally smallest first). Two are enough: a recipient's own product is
/// never recommended to them, and it can hide at most one. <see cref="For"/> is the contract's rule: the most common
/// product of the recipient's location that is not their own, then the most common overall that is not, else "".
/// Locations compare case-insensitively, like the audience filter; a recipient without a location has no neighbours.
/// </summary>
public sealed class ProductPicks
{
    private readonly Dictionary<string, string[]> _byLocation;
    private readonly string[] _overall;

    /// <param name="byLocation">Location (compared ignoring case) → its top two products, most common first.</param>
    /// <param name="overall">The top two products of everyone, most common first.</param>
    public ProductPicks(Dictionary<string, string[]> byLocation, string[] overall)
    {
        _byLocation = byLocation;
        _overall = overall;
    }

    /// <summary>No products at all: every pick is "".</summary>
    public static readonly ProductPicks None = new(new(StringComparer.OrdinalIgnoreCase), []);

    /// <summary>The product recommended to a customer of <paramref name="location"/> whose own product is <paramref name="ownProduct"/>.</summary>
    public string For(string location, string ownProduct)
    {
        if (location.Length > 0 && _byLocation.TryGetValue(location, out var local)
            && FirstOther(local, ownProduct) is { } pick)
        {
            return pick;
        }
        return FirstOther(_overall, ownProduct) ?? "";
    }

    /// <summary>
    /// <paramref name="fields"/> with <c>{recommended_product}</c> filled in by <see cref="For"/>: what the send, the preview and
    /// the A/B test's release render with.
    /// </summary>
    public TemplateFields Fill(TemplateFields fields) =>
        fields with { RecommendedProduct = For(fields.Location ?? "", fields.PreferredProduct ?? "") };

    private static string? FirstOther(string[] ranked, string own)
    {
        foreach (var product in ranked)
        {
            if (!string.Equals(product, own, StringComparison.Ordinal))
            {
                return product;
            }
        }
        return null;
    }
}
