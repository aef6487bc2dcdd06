using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.Consent;

/// <summary>What the consent tests ask the API and the database.</summary>
public static class ConsentCalls
{
    public static async Task<JsonNode> InboundAsync(this HttpClient api, string from, string text, CancellationToken cancellationToken,
        string channel = "sms") =>
        (await api.PostJsonAsync("/inbound", new { from, text, channel }, cancellationToken)).Expect(HttpStatusCode.Created).Json;

    public static async Task<JsonArray> SuppressionsAsync(this HttpClient api, string phone, CancellationToken cancellationToken) =>
        (await api.GetJsonAsync($"/suppressions?phone={Uri.EscapeDataString(phone)}", cancellationToken))
            .Expect(HttpStatusCode.OK).Json["data"]!.AsArray();

    public static async Task<bool> OptedOutAsync(this HttpClient api, long customerId, CancellationToken cancellationToken) =>
        (await api.GetJsonAsync($"/customers/{customerId}", cancellationToken)).Expect(HttpStatusCode.OK).Json["opted_out"]!.GetValue<bool>();

    public static string[] Sources(this JsonArray suppressions) =>
        [.. suppressions.Select(s => $"{s!["channel"]?.GetValue<string>() ?? "*"}:{s["source"]!.GetValue<string>()}").Order()];

    /// <summary>The confirmations queued for a phone, oldest first: (body, status).</summary>
    public static async Task<List<(string Body, string Status)>> RepliesAsync(this NpgsqlDataSource database, string phone,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT body, status FROM consent_replies WHERE phone = @phone ORDER BY id", new { phone },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The phone's first confirmation's status once the worker is done with it (sent or failed), within 30 s.</summary>
    public static async Task<string> ReplyStatusWhenSettledAsync(this NpgsqlDataSource database, string phone, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var status = (await database.RepliesAsync(phone, cancellationToken))[0].Status;
            if (status is "sent" or "failed" || DateTime.UtcNow > deadline)
            {
                return status;
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
