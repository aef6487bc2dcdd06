using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Providers;

/// <summary>
/// The provider adapters as typed HTTP clients. Each needs its own configuration section, so only
/// the providers a deployment's chains name are added (<see cref="Sending.SenderRegistration"/>); the router calls them.
/// </summary>
public static class ProviderRegistration
{
    public static IHttpClientBuilder AddTwilioClient(this IServiceCollection services)
    {
        services.AddProviderOptions<TwilioOptions>(TwilioOptions.SectionName);
        // The status callback of every message is built from it.
        services.AddProviderOptions<WebhooksOptions>(WebhooksOptions.SectionName);
        return services.AddProviderClient<TwilioClient, TwilioOptions>(TwilioClient.Name, twilio => twilio.BaseUrl);
    }

    public static IHttpClientBuilder AddAfricasTalkingClient(this IServiceCollection services)
    {
        services.AddProviderOptions<AfricasTalkingOptions>(AfricasTalkingOptions.SectionName);
        return services.AddProviderClient<AfricasTalkingClient, AfricasTalkingOptions>(AfricasTalkingClient.Name, at => at.BaseUrl);
    }

    public static IHttpClientBuilder AddWhatsAppCloudClient(this IServiceCollection services)
    {
        services.AddProviderOptions<WhatsAppCloudOptions>(WhatsAppCloudOptions.SectionName);
        return services.AddProviderClient<WhatsAppCloudClient, WhatsAppCloudOptions>(WhatsAppCloudClient.Name, cloud => cloud.BaseUrl);
    }

    private static void AddProviderOptions<TOptions>(this IServiceCollection services, string section) where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    private static IHttpClientBuilder AddProviderClient<TClient, TOptions>(this IServiceCollection services, string name, Func<TOptions, Uri> baseUrl)
        where TClient : class
        where TOptions : class
    {
        services.AddProviderOptions<ProviderCircuitOptions>(ProviderCircuitOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProviderCircuitStates>();
        return services.AddHttpClient<TClient>(name, (services, http) =>
            {
                // Relative request paths resolve under the base only when it ends with '/'.
                var url = baseUrl(services.GetRequiredService<IOptions<TOptions>>().Value).AbsoluteUri;
                http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
            })
            .AddProviderResilience(name)
            // Four Information lines per call from the HttpClient factory would bury the worker's own: the
            // provider call's span, metrics and logs say what matters (provider, outcome, duration).
            .RemoveAllLoggers();
    }
}
