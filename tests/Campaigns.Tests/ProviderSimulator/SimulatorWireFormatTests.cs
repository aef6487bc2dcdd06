using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Campaigns.Core.Domain;
using Campaigns.Worker.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>
/// Each provider's wire format, spoken by the worker's own adapters: accepted with the right
/// credentials, with ids in the provider's shape; refused as the provider would refuse without them.
/// </summary>
public sealed class SimulatorWireFormatTests : IAsyncLifetime
{
    private SimulatorRig _rig = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Every phone accepted, no receipts: this class is about the sends.
    public async ValueTask InitializeAsync() => _rig = await SimulatorRig.StartAsync(null, Ct, new SimulatorRule(".", Receipt: "none"));

    public ValueTask DisposeAsync() => _rig.DisposeAsync();

    [Fact]
    public async Task Twilio_accepts_the_adapters_form_with_basic_auth_and_answers_a_message_resource()
    {
        var twilio = _rig.Adapter<TwilioClient>();

        var sms = await twilio.SendAsync(new TwilioMessage(Channel.Sms, "+254711000001", "Hello", "msg-1"), Ct);
        var whatsApp = await twilio.SendAsync(new TwilioMessage(Channel.WhatsApp, "+254711000002", "Hello", "msg-2"), Ct);

        Assert.Equal(ProviderOutcomeKind.Accepted, sms.Kind);
        Assert.Matches("^SM[0-9a-f]{32}$", sms.ProviderMessageId);
        Assert.Equal(ProviderOutcomeKind.Accepted, whatsApp.Kind);
        Assert.NotEqual(sms.ProviderMessageId, whatsApp.ProviderMessageId);

        using var response = await _rig.Simulator.Client.SendAsync(TwilioRequest(SimulatorHost.AccountSid, SimulatorHost.AuthToken), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var resource = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("queued", (string?)resource!["status"]);
        Assert.Equal("+254711000003", (string?)resource["to"]);
        Assert.Equal(SimulatorHost.AccountSid, (string?)resource["account_sid"]);
        Assert.Equal($"/2010-04-01/Accounts/{SimulatorHost.AccountSid}/Messages/{resource["sid"]}.json", (string?)resource["uri"]);
    }

    [Theory]
    [InlineData(SimulatorHost.AccountSid, "wrong-token")]
    [InlineData("AC99999999999999999999999999999999", SimulatorHost.AuthToken)]
    [InlineData(null, null)]
    public async Task Twilio_refuses_wrong_or_missing_credentials_with_its_20003(string? accountSid, string? authToken)
    {
        using var request = TwilioRequest(accountSid ?? SimulatorHost.AccountSid, authToken);
        if (accountSid is not null && accountSid != SimulatorHost.AccountSid)
        {
            // The right credentials for another account's path.
            request.Headers.Authorization = Basic(SimulatorHost.AccountSid, SimulatorHost.AuthToken);
        }

        using var response = await _rig.Simulator.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(20003, (int?)error!["code"]);
        Assert.Equal(401, (int?)error["status"]);
    }

    [Fact]
    public async Task Africas_talking_accepts_many_recipients_in_one_request_each_with_its_own_message_id()
    {
        var at = _rig.Adapter<AfricasTalkingClient>();

        var outcomes = await at.SendAsync(["+254711000001", "+254711000002", "+254711000003"], "Sale today", Ct);

        Assert.All(outcomes, outcome => Assert.Equal(ProviderOutcomeKind.Accepted, outcome.Kind));
        Assert.All(outcomes, outcome => Assert.Matches("^ATXid_[0-9a-f]{32}$", outcome.ProviderMessageId));
        Assert.Equal(3, outcomes.Select(outcome => outcome.ProviderMessageId).Distinct().Count());
    }

    [Fact]
    public async Task Africas_talking_answers_one_recipient_entry_per_phone_with_its_status_code()
    {
        using var response = await _rig.Simulator.Client.SendAsync(AfricasTalkingRequest(SimulatorHost.ApiKey, SimulatorHost.Username,
            "+254711000001,+254711000002,not-a-phone"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["SMSMessageData"]!;
        Assert.Equal("Sent to 2/3 Total Cost: KES 1.6000", (string?)data["Message"]);
        var recipients = data["Recipients"]!.AsArray();
        Assert.Equal(["+254711000001", "+254711000002", "not-a-phone"], recipients.Select(r => (string?)r!["number"]));
        Assert.Equal([101, 101, 403], recipients.Select(r => (int)r!["statusCode"]!));
        Assert.Equal(["Success", "Success", "InvalidPhoneNumber"], recipients.Select(r => (string?)r!["status"]));
        Assert.Equal("None", (string?)recipients[2]!["messageId"]);
    }

    [Theory]
    [InlineData("wrong-key", SimulatorHost.Username)]
    [InlineData(SimulatorHost.ApiKey, "someone-else")]
    [InlineData(null, SimulatorHost.Username)]
    public async Task Africas_talking_refuses_a_wrong_api_key_or_username_with_401(string? apiKey, string username)
    {
        using var response = await _rig.Simulator.Client.SendAsync(AfricasTalkingRequest(apiKey, username, "+254711000001"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The supplied authentication is invalid", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task WhatsApp_cloud_accepts_the_adapters_template_message_with_the_bearer_token_and_answers_a_wamid()
    {
        var cloud = _rig.Adapter<WhatsAppCloudClient>();

        var outcome = await cloud.SendAsync(new WhatsAppTemplateMessage("+254711000001", "sale", "en", ["Ann", "20%"], "msg-7"), Ct);

        Assert.Equal(ProviderOutcomeKind.Accepted, outcome.Kind);
        Assert.StartsWith("wamid.", outcome.ProviderMessageId);
    }

    [Fact]
    public async Task WhatsApp_cloud_refuses_a_wrong_token_with_graph_error_190()
    {
        using var adapters = SimulatorAdapters.Build(_rig.Simulator, _rig.Sink.BaseUrl, accessToken: "expired-token");

        var outcome = await adapters.Services.GetRequiredService<WhatsAppCloudClient>().SendAsync(
            new WhatsAppTemplateMessage("+254711000001", "sale", "en", [], "msg-8"), Ct);

        Assert.Equal(ProviderOutcomeKind.TransientFailure, outcome.Kind);
        Assert.True(outcome.CircuitFailure);
        Assert.Equal(401, outcome.HttpStatus);
        Assert.Equal("190", outcome.ErrorCode);
    }

    [Fact]
    public async Task WhatsApp_cloud_refuses_another_phone_number_id_and_a_malformed_message()
    {
        using var otherNumber = WhatsAppRequest("v23.0/999/messages", """{"messaging_product":"whatsapp","to":"254711000001","type":"template","template":{"name":"t","language":{"code":"en"}}}""");
        using var noTemplateName = WhatsAppRequest($"v23.0/{SimulatorHost.PhoneNumberId}/messages", """{"messaging_product":"whatsapp","to":"254711000001","type":"template","template":{"language":{"code":"en"}}}""");

        using var wrongNumber = await _rig.Simulator.Client.SendAsync(otherNumber, Ct);
        using var malformed = await _rig.Simulator.Client.SendAsync(noTemplateName, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, wrongNumber.StatusCode);
        Assert.Equal(100, (int?)(await wrongNumber.Content.ReadFromJsonAsync<JsonObject>(Ct))!["error"]!["code"]);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("(#100) The parameter template['name'] is required.",
            (string?)(await malformed.Content.ReadFromJsonAsync<JsonObject>(Ct))!["error"]!["message"]);
    }

    private static HttpRequestMessage TwilioRequest(string accountSid, string? authToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"2010-04-01/Accounts/{accountSid}/Messages.json")
        {
            Content = new FormUrlEncodedContent([new("To", "+254711000003"), new("From", "+15005550006"), new("Body", "Hi")]),
        };
        if (authToken is not null)
        {
            request.Headers.Authorization = Basic(accountSid, authToken);
        }
        return request;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static HttpRequestMessage AfricasTalkingRequest(string? apiKey, string username, string to)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "version1/messaging")
        {
            Content = new FormUrlEncodedContent([new("username", username), new("to", to), new("message", "Hi"), new("bulkSMSMode", "1")]),
        };
        if (apiKey is not null)
        {
            request.Headers.Add("apiKey", apiKey);
        }
        return request;
    }

    private static HttpRequestMessage WhatsAppRequest(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SimulatorHost.AccessToken);
        return request;
    }
}
