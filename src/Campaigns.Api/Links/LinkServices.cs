namespace Campaigns.Api.Links;

public static class LinkServices
{
    /// <summary>Link tracking: its options (<c>Links</c>), the click buffer and the writer that drains it.</summary>
    public static IServiceCollection AddLinkTracking(this IServiceCollection services)
    {
        services.AddOptions<LinkTrackingOptions>().BindConfiguration(LinkTrackingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClickBuffer>();
        services.AddHostedService<ClickWriter>();
        return services;
    }
}
