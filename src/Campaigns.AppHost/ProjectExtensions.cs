namespace Campaigns.AppHost;

public static class ProjectExtensions
{
    /// <summary>
    /// Aspire sets OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY=in_memory; when the dashboard stops first, the
    /// final flush keeps retrying and each project takes 12–15 s to stop. Empty restores the default.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithFastTelemetryShutdown(this IResourceBuilder<ProjectResource> project) =>
        project.WithEnvironment("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "");
}
