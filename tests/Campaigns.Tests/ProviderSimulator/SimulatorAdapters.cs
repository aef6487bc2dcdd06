using Campaigns.Tests.Providers;
using Campaigns.Worker.Providers;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>The worker's own provider adapters, configured for a simulator: what the worker would send it.</summary>
public static class SimulatorAdapters
{
    public static IHost Build(SimulatorHost simulator, Uri publicBaseUrl, IReadOnlyDictionary<string, string?>? settings = null, string? accessToken = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Providers:Twilio:AccountSid"] = SimulatorHost.AccountSid,
            ["Providers:Twilio:AuthToken"] = SimulatorHost.AuthToken,
            ["Providers:Twilio:From"] = "+15005550006",
            ["Providers:Twilio:WhatsAppFrom"] = "+15005550007",
            ["Providers:Twilio:BaseUrl"] = simulator.BaseUrl.AbsoluteUri,
            ["Providers:AfricasTalking:Username"] = SimulatorHost.Username,
            ["Providers:AfricasTalking:ApiKey"] = SimulatorHost.ApiKey,
            ["Providers:AfricasTalking:BaseUrl"] = simulator.BaseUrl.AbsoluteUri,
            ["Providers:WhatsAppCloud:AccessToken"] = accessToken ?? SimulatorHost.AccessToken,
            ["Providers:WhatsAppCloud:PhoneNumberId"] = SimulatorHost.PhoneNumberId,
            ["Providers:WhatsAppCloud:BaseUrl"] = simulator.BaseUrl.AbsoluteUri,
            ["Webhooks:PublicBaseUrl"] = publicBaseUrl.AbsoluteUri,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        return ProviderHost.Build(configuration, services =>
        {
            services.AddTwilioClient();
            services.AddAfricasTalkingClient();
            services.AddWhatsAppCloudClient();
        });
    }
}
