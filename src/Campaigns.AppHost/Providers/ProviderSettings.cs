using Microsoft.Extensions.Configuration;

namespace Campaigns.AppHost.Providers;

/// <summary>
/// Real accounts: with the simulator off, the AppHost's own <c>Providers</c> and <c>Webhooks</c> settings
/// (user-secrets, or <c>Providers__…</c> environment variables) go to the worker and the API as they
/// are, the secret ones as secret parameters, so the dashboard shows them masked.
/// </summary>
public static class ProviderSettings
{
    private static readonly string[] SecretNames = ["AuthToken", "ApiKey", "WebhookToken", "AccessToken", "AppSecret", "VerifyToken"];

    public static void PassProviderSettings(this IDistributedApplicationBuilder builder, params IResourceBuilder<ProjectResource>[] services)
    {
        var settings = builder.Configuration.GetSection("Providers").AsEnumerable()
            .Concat(builder.Configuration.GetSection("Webhooks").AsEnumerable())
            .Where(setting => setting.Value is not null
                && !setting.Key.Equals(SimulatedProviders.Switch, StringComparison.OrdinalIgnoreCase));
        foreach (var (key, value) in settings)
        {
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            if (SecretNames.Contains(key[(key.LastIndexOf(':') + 1)..], StringComparer.OrdinalIgnoreCase))
            {
                var secret = builder.AddParameterFromConfiguration(key.Replace(':', '-').ToLowerInvariant(), key, secret: true);
                Array.ForEach(services, service => service.WithEnvironment(name, secret));
            }
            else
            {
                Array.ForEach(services, service => service.WithEnvironment(name, value));
            }
        }
    }
}
