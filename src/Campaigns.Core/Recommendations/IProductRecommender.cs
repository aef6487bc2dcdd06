using Npgsql;

namespace Campaigns.Core.Recommendations;

/// <summary>
/// What <c>{recommended_product}</c> renders as (api.md, "Personalization"). Asked once per send, preview and A/B release,
/// set-based: the answer picks for every recipient from memory, never one query per recipient.
/// </summary>
public interface IProductRecommender
{
    /// <summary>The picks for a send, read on the send's connection (inside its transaction).</summary>
    Task<ProductPicks> RecommendAsync(NpgsqlConnection connection, CancellationToken cancellationToken);
}
