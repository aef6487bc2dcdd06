using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting.Testing;
using Campaigns.AppHost.Providers;
using Campaigns.Tests.Delivery;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>
/// The simulator in a graph of its own, as <c>./eng/run.sh</c> has it: healthy beside the API and the
/// worker, accepting the credentials the AppHost generated, its receipts reaching the API.
/// </summary>
[Collection(nameof(OwnGraphs))]
public sealed class SimulatorInGraphTests
{
    private static readonly TimeSpan ReceiptPatience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_simulator_accepts_the_generated_credentials_and_posts_its_receipts_to_the_api()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var graph = await CampaignsGraph.StartAsync(cancellationToken: ct, args:
        [
            $"{SimulatedProviders.Switch}=true",
            // Passed on by the AppHost: every message delivered, soon.
            "Simulator:Rules:0:Pattern=.",
            "Simulator:Rules:0:Receipt=delivered",
            "Simulator:ReceiptDelayMaxMs=500",
        ]);
        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync(SimulatedProviders.ResourceName, ct);
        // A plain client: the graph's check every exchange against the API's OpenAPI document.
        using var simulator = new HttpClient { BaseAddress = graph.App.GetEndpoint(SimulatedProviders.ResourceName, "http") };
        var authToken = File.ReadAllText(Path.Combine(graph.DataDirectory, "secrets", "twilio-auth-token.password")).Trim();
        var callback = new Uri(graph.App.GetEndpoint("api", "http"), "/webhooks/twilio/status?key=msg-1");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"2010-04-01/Accounts/{SimulatedProviders.TwilioAccountSid}/Messages.json")
        {
            Content = new FormUrlEncodedContent(
                [new("To", "+254715000001"), new("From", "+15005550006"), new("Body", "Hi"), new("StatusCallback", callback.AbsoluteUri)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SimulatedProviders.TwilioAccountSid}:{authToken}")));
        using var response = await simulator.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // sent and delivered, each answered by the API (whatever it made of them): the webhook base is right.
        var deadline = DateTime.UtcNow + ReceiptPatience;
        while (true)
        {
            var receipts = await simulator.GetFromJsonAsync<Dictionary<string, long>>("control/receipts", ct);
            if (receipts!["posted"] + receipts["refused"] == 2)
            {
                Assert.Equal(0, receipts["abandoned"]);
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The receipts did not reach the API: {string.Join(", ", receipts)}");
            await Task.Delay(100, ct);
        }
    }
}
