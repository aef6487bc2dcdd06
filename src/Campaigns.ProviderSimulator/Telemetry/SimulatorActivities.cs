using System.Diagnostics;
using Campaigns.ProviderSimulator.Receipts;
using Campaigns.ServiceDefaults;

namespace Campaigns.ProviderSimulator.Telemetry;

/// <summary>
/// The simulator's spans: one per send request (inside ASP.NET Core's server span, so in the worker's
/// trace), and one per receipt posted, a child of its send's span, so a message's trace runs from the
/// worker through the provider to the API's webhook.
/// </summary>
public static class SimulatorActivities
{
    public static readonly ActivitySource Source = new(CampaignsTelemetry.SimulatorSource);

    public static Activity? StartSend(string provider)
    {
        var activity = Source.StartActivity($"{provider} send");
        activity?.SetTag("provider", provider);
        return activity;
    }

    /// <summary>Records the answer on a send's span.</summary>
    public static void Answered(this Activity? activity, string outcome, int httpStatus, int recipients = 1)
    {
        activity?.SetTag("outcome", outcome);
        activity?.SetTag("http.response.status_code", httpStatus);
        activity?.SetTag("simulator.recipients", recipients);
    }

    public static Activity? StartReceipt(Receipt receipt)
    {
        var activity = Source.StartActivity($"{receipt.Provider} receipt", ActivityKind.Producer, receipt.Parent);
        activity?.SetTag("provider", receipt.Provider);
        activity?.SetTag("receipt.status", receipt.Status);
        activity?.SetTag("provider.message_id", receipt.MessageId);
        activity?.SetTag("receipt.attempt", receipt.Attempt);
        return activity;
    }
}
