using Microsoft.Extensions.Configuration;

namespace Campaigns.AppHost.Providers;

/// <summary>
/// Real accounts: with the simulator off, the AppHost's own <c>Providers</c> and <c>Webhooks</c> settings
/// (user-secrets, or <c>Providers__…</c> environment variables) go to the worker and the API as they
/// are, the secret ones as secret parameters, so the dashboard shows them masked. When publishing,
/// the same settings go into the manifest (secrets as parameters, never their values), except the API's
/// public address: it depends on where it is deployed (<see cref="PublicAddress"/>).
/// </summary>
public static class ProviderSettings
{
    private static readonly string[] SecretNames = ["AuthToken", "ApiKey", "WebhookToken", "AccessToken", "AppSecret", "VerifyToken"];

    public static void PassProviderSettings(this IDistributedApplicationBuilder builder, params IResourceBuilder<ProjectResource>[] services)
    {
        var publishing = builder.ExecutionContext.IsPublishMode;
        var settings = Leaves(builder.Configuration, "Providers").Concat(Leaves(builder.Configuration, "Webhooks"))
            .Where(setting => !setting.Key.Equals(SimulatedProviders.Switch, StringComparison.OrdinalIgnoreCase))
            .Where(setting => !publishing || !setting.Key.Equals(PublicAddress.ConfigurationKey, StringComparison.OrdinalIgnoreCase));
        foreach (var (key, name, value) in settings)
        {
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

    /// <summary>The settings with a value under <paramref name="section"/>: key, environment variable name, value.</summary>
    internal static IEnumerable<(string Key, string Name, string Value)> Leaves(IConfiguration configuration, string section) =>
        configuration.GetSection(section).AsEnumerable()
            .Where(setting => setting.Value is not null)
            .Select(setting => (setting.Key, setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value!));
}
