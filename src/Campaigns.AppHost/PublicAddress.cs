namespace Campaigns.AppHost;

/// <summary>
/// The API's address as recipients (short links, <c>GET /l/{code}</c>) and providers (webhooks) reach it.
/// Running, short links point at the API's own endpoint and the webhooks' address comes with the provider
/// settings. Published, both are the <c>public-base-url</c> parameter: a deployed API's endpoint is an
/// internal address no phone can open, and only the deployment knows its public host (docs/deploy.md).
/// </summary>
public static class PublicAddress
{
    /// <summary>The published parameter behind <c>Links:BaseUrl</c> and <c>Webhooks:PublicBaseUrl</c>.</summary>
    public const string Parameter = "public-base-url";

    /// <summary>The AppHost setting whose value, given when publishing, becomes the parameter's default.</summary>
    public const string ConfigurationKey = "Webhooks:PublicBaseUrl";

    public static void WithPublicAddress(this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> worker)
    {
        if (!builder.ExecutionContext.IsPublishMode)
        {
            // An A/B test's rest is rendered by the worker once decided: its short links the same as the API's.
            var endpoint = api.GetEndpoint("http");
            api.WithEnvironment("Links__BaseUrl", endpoint);
            worker.WithEnvironment("Links__BaseUrl", endpoint);
            return;
        }

        // A value given when publishing becomes the parameter's default; else the deployment asks for it.
        var publicBaseUrl = builder.Configuration[ConfigurationKey] is { Length: > 0 } configured
            ? builder.AddParameter(Parameter, configured, publishValueAsDefault: true)
            : builder.AddParameter(Parameter);
        foreach (var service in new[] { api, worker })
        {
            service.WithEnvironment("Links__BaseUrl", publicBaseUrl)
                .WithEnvironment("Webhooks__PublicBaseUrl", publicBaseUrl);
        }
    }
}
