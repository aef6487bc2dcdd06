namespace Campaigns.Api.Recommendations;

public static class RecommendationServices
{
    /// <summary>The recommender behind <c>{recommended_product}</c>: the built-in co-occurrence one.</summary>
    public static IServiceCollection AddRecommendations(this IServiceCollection services) =>
        services.AddSingleton<IProductRecommender, CoOccurrenceRecommender>();
}
