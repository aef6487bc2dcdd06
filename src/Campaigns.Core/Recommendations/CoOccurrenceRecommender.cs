using Npgsql;

namespace Campaigns.Core.Recommendations;

/// <summary>
/// The built-in recommender (api.md, "Personalization"): what the customers of a location prefer most, else what
/// everyone does. One statement per send (preview, A/B release) counts every customer's <c>preferred_product</c> per
/// location (lowercased, as the audience filter compares it) and keeps the top two of each location and of everyone; ties go to the
/// ordinally smallest product (<c>COLLATE "C"</c>: code point order). A customer without a product counts for none,
/// and "" is never recommended; customers without a location count only overall.
/// </summary>
public sealed class CoOccurrenceRecommender : IProductRecommender
{
    private const int Kept = 2;

    public async Task<ProductPicks> RecommendAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH counted AS (
                SELECT lower(location) AS location, preferred_product AS product, count(*) AS n
                FROM customers
                WHERE preferred_product <> ''
                GROUP BY lower(location), preferred_product),
            local AS (
                SELECT location, product, row_number() OVER (PARTITION BY location ORDER BY n DESC, product COLLATE "C") AS rank
                FROM counted
                WHERE location <> ''),
            overall AS (
                SELECT product, row_number() OVER (ORDER BY sum(n) DESC, product COLLATE "C") AS rank
                FROM counted
                GROUP BY product)
            SELECT location, product, rank FROM local WHERE rank <= @kept
            UNION ALL
            SELECT NULL, product, rank FROM overall WHERE rank <= @kept
            ORDER BY location NULLS FIRST, rank
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("kept", (long)Kept);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var byLocation = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        var overall = new List<string>(Kept);
        while (await reader.ReadAsync(cancellationToken))
        {
            var product = reader.GetString(1);
            if (reader.IsDBNull(0))
            {
                overall.Add(product);
            }
            else
            {
                var location = reader.GetString(0);
                byLocation[location] = byLocation.TryGetValue(location, out var ranked) ? [.. ranked, product] : [product];
            }
        }
        return new ProductPicks(byLocation, [.. overall]);
    }
}
