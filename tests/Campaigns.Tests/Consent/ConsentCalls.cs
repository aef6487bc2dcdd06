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

    /// <summary>
    /// The phone's first confirmation once the worker has recorded an attempt at it (within 30 s): its
    /// status, the provider that answered, and the error it gave.
    /// </summary>
    public static async Task<(string Status, string? Provider, string? Error)> FirstReplyAttemptAsync(this NpgsqlDataSource database,
        string phone, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT status, provider, last_error FROM consent_replies
            WHERE phone = @phone AND attempts > 0 AND status <> 'sending' ORDER BY id LIMIT 1
            """;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            {
                var attempt = await connection.QuerySingleOrDefaultAsync<(string, string?, string?)?>(new CommandDefinition(sql, new { phone },
                    cancellationToken: cancellationToken));
                if (attempt is { } recorded)
                {
                    return recorded;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "The worker recorded no attempt at the reply within 30 s");
            await Task.Delay(100, cancellationToken);
        }
    }
}
