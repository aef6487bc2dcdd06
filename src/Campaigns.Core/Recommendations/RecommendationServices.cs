using Microsoft.Extensions.DependencyInjection;

namespace Campaigns.Core.Recommendations;

public static class RecommendationServices
{
    /// <summary>
    /// The recommender behind <c>{recommended_product}</c>, the built-in co-occurrence one: the API's send and preview and the
    /// worker's A/B release all pick with it.
    /// </summary>
    public static IServiceCollection AddRecommendations(this IServiceCollection services) =>
        services.AddSingleton<IProductRecommender, CoOccurrenceRecommender>();
}
