using Campaigns.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Campaigns.AppHost.Providers;

/// <summary>
/// The provider simulator in the graph (<c>Providers:Simulator</c>): sms goes to <c>africastalking</c>
/// then <c>twilio</c>, whatsapp to <c>whatsapp-cloud</c>, all at the simulator, whose signed receipts go
/// to the API's webhooks. One set of generated credentials, under the contract's names, configures the
/// worker (to send), the simulator (to check and sign) and the API (to verify).
/// </summary>
public static class SimulatedProviders
{
    public const string ResourceName = "provider-simulator";

    /// <summary>The AppHost setting that puts the simulator in the graph.</summary>
    public const string Switch = "Providers:Simulator";

    /// <summary>The parameter (and file under the data folder's secrets) of the generated Twilio auth token.</summary>
    public const string TwilioAuthTokenParameter = "twilio-auth-token";

    // The simulated accounts' names: not secrets, but shaped like the real ones.
    public const string TwilioAccountSid = "AC5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";
    private const string TwilioFrom = "+15005550006";
    private const string AfricasTalkingUsername = "sandbox";
    private const string WhatsAppPhoneNumberId = "106540352242922";

    public static IResourceBuilder<ProjectResource> AddProviderSimulator(this IDistributedApplicationBuilder builder,
        InfrastructureOptions infrastructure, IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> worker)
    {
        // Kept beside the data like the API key, so a restart keeps receipts of earlier sends verifiable.
        IResourceBuilder<ParameterResource> Secret(string name) => builder.AddParameter(name, infrastructure.PasswordFor(name), secret: true);
        var twilioAuthToken = Secret(TwilioAuthTokenParameter);
        var africasTalkingApiKey = Secret("africastalking-api-key");
        var africasTalkingWebhookToken = Secret("africastalking-webhook-token");
        var whatsAppAccessToken = Secret("whatsapp-access-token");
        var whatsAppAppSecret = Secret("whatsapp-app-secret");
        var whatsAppVerifyToken = Secret("whatsapp-verify-token");

        var publicBaseUrl = api.GetEndpoint("http");
        var simulator = builder.AddProject<Projects.Campaigns_ProviderSimulator>(ResourceName)
            .WithReference(api)
            .WithEnvironment("Webhooks__PublicBaseUrl", publicBaseUrl)
            .WithEnvironment("Providers__Twilio__AccountSid", TwilioAccountSid)
            .WithEnvironment("Providers__Twilio__AuthToken", twilioAuthToken)
            .WithEnvironment("Providers__AfricasTalking__Username", AfricasTalkingUsername)
            .WithEnvironment("Providers__AfricasTalking__ApiKey", africasTalkingApiKey)
            .WithEnvironment("Providers__AfricasTalking__WebhookToken", africasTalkingWebhookToken)
            .WithEnvironment("Providers__WhatsAppCloud__AccessToken", whatsAppAccessToken)
            .WithEnvironment("Providers__WhatsAppCloud__PhoneNumberId", WhatsAppPhoneNumberId)
            .WithEnvironment("Providers__WhatsAppCloud__AppSecret", whatsAppAppSecret)
            .WithHttpHealthCheck("/health")
            .WithFastTelemetryShutdown()
            // Called directly, as a provider is: through DCP's proxy every send cost two more socket hops and the
            // proxy's own CPU (8% of the machine's while the benchmark sent through the simulator; issue 14). Its port
            // is chosen when it starts, not the launch profile's: two graphs on one machine (tests beside a running
            // system, or each other) would otherwise both bind 5200, and the second's worker would never start.
            .WithEndpoint("http", endpoint =>
            {
                endpoint.IsProxied = false;
                endpoint.Port = null;
                endpoint.TargetPort = null;
            });
        // Its own settings (latency, rules, receipt rates) from the AppHost's: ./eng/run.sh -- --Simulator:EarlyRate=0.2
        foreach (var (_, name, value) in ProviderSettings.Leaves(builder.Configuration, "Simulator"))
        {
            simulator.WithEnvironment(name, value);
        }
        var simulatorUrl = simulator.GetEndpoint("http");

        worker
            .WithReference(simulator).WaitFor(simulator)
            .WithSimulatedChains()
            .WithEnvironment("Webhooks__PublicBaseUrl", publicBaseUrl)
            .WithEnvironment("Providers__Twilio__AccountSid", TwilioAccountSid)
            .WithEnvironment("Providers__Twilio__AuthToken", twilioAuthToken)
            .WithEnvironment("Providers__Twilio__From", TwilioFrom)
            .WithEnvironment("Providers__Twilio__BaseUrl", simulatorUrl)
            .WithEnvironment("Providers__AfricasTalking__Username", AfricasTalkingUsername)
            .WithEnvironment("Providers__AfricasTalking__ApiKey", africasTalkingApiKey)
            .WithEnvironment("Providers__AfricasTalking__BaseUrl", simulatorUrl)
            .WithEnvironment("Providers__WhatsAppCloud__AccessToken", whatsAppAccessToken)
            .WithEnvironment("Providers__WhatsAppCloud__PhoneNumberId", WhatsAppPhoneNumberId)
            .WithEnvironment("Providers__WhatsAppCloud__BaseUrl", simulatorUrl);

        // The webhooks' proofs of origin, and the chains (a WhatsApp campaign without a template cannot go through whatsapp-cloud alone).
        api
            .WithSimulatedChains()
            .WithEnvironment("Webhooks__PublicBaseUrl", publicBaseUrl)
            .WithEnvironment("Providers__Twilio__AuthToken", twilioAuthToken)
            .WithEnvironment("Providers__AfricasTalking__WebhookToken", africasTalkingWebhookToken)
            .WithEnvironment("Providers__WhatsAppCloud__AppSecret", whatsAppAppSecret)
            .WithEnvironment("Providers__WhatsAppCloud__VerifyToken", whatsAppVerifyToken);
        return simulator;
    }

    /// <summary>The Development chains, for the worker (to route) and the API (to refuse what cannot be routed).</summary>
    private static IResourceBuilder<ProjectResource> WithSimulatedChains(this IResourceBuilder<ProjectResource> service) => service
        .WithEnvironment("Providers__Sms__Chain__0", "africastalking")
        .WithEnvironment("Providers__Sms__Chain__1", "twilio")
        .WithEnvironment("Providers__WhatsApp__Chain__0", "whatsapp-cloud");
}
