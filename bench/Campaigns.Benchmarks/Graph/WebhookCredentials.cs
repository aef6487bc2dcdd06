using Campaigns.AppHost.Providers;

namespace Campaigns.Benchmarks.Graph;

/// <summary>
/// The Twilio account the API's webhooks verify against in the benchmark's graph: the one the AppHost
/// generates for the provider simulator (its auth token kept beside the graph's data, like the API
/// key), with <c>Webhooks:PublicBaseUrl</c> the API's own http endpoint. The receipts scenario signs its
/// status callbacks with that token over the public URL the API rebuilds.
/// </summary>
public sealed class WebhookCredentials(string dataDirectory)
{
    public const string PublicBaseUrlVariable = "Webhooks__PublicBaseUrl";

    public const string TwilioAccountSid = SimulatedProviders.TwilioAccountSid;

    public string TwilioAuthToken => GraphSecrets.Read(dataDirectory, SimulatedProviders.TwilioAuthTokenParameter);
}
