using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.Personalization;

/// <summary>A personalized campaign sent to one new customer, and its message once the worker is done with it.</summary>
public static class PersonalizedCampaigns
{
    public const string OptOutSentence = "Reply STOP to opt out.";

    /// <summary>What the worker stored: the message's text and how it was written.</summary>
    public sealed record Written(long MessageId, string Status, string RenderedContent, string? Personalization, int RetryCount);

    /// <summary>
    /// Instructions that only this test uses (so the model's calls for it can be counted), with the marker that
    /// picks the model's answer (<see cref="FakeLanguageModel.Behaviour"/>).
    /// </summary>
    public static string Instructions(string behaviour) => $"{behaviour} Sound warm. ({Guid.NewGuid():N})";

    public static JsonObject Body(string channel, string template, string instructions, int? maxLength = null)
    {
        var personalization = new JsonObject { ["mode"] = "ai", ["instructions"] = instructions };
        if (maxLength is { } max)
        {
            personalization["max_length"] = max;
        }
        return new JsonObject
        {
            ["name"] = Unique.Name("personalized"),
            ["channel"] = channel,
            ["base_template"] = template,
            ["personalization"] = personalization,
        };
    }

    public static async Task<long> CreateAsync(HttpClient api, JsonObject body, CancellationToken cancellationToken) =>
        (await api.PostJsonAsync("/campaigns", body.ToJsonString(), cancellationToken)).Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();

    /// <summary>Sends the campaign to the customer and waits until the message's attempts are over (sent, or failed).</summary>
    public static async Task<Written> SendAndWaitAsync(HttpClient api, NpgsqlDataSource database, long campaignId, long customerId,
        CancellationToken cancellationToken)
    {
        (await api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customerId } }, cancellationToken))
            .Expect(HttpStatusCode.Accepted);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            {
                var written = await connection.QuerySingleAsync<Written>(new CommandDefinition("""
                    SELECT id AS message_id, status, rendered_content, personalization, retry_count
                    FROM outbound_messages WHERE campaign_id = @campaignId AND customer_id = @customerId
                    """, new { campaignId, customerId }, cancellationToken: cancellationToken));
                if (written.Status is "sent" or "failed")
                {
                    return written;
                }
                Assert.True(DateTime.UtcNow < deadline, $"Message {written.MessageId} is still {written.Status} after 60 s");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The message as the API answers it.</summary>
    public static async Task<JsonNode> MessageAsync(HttpClient api, long campaignId, long messageId, CancellationToken cancellationToken) =>
        (await api.GetJsonAsync($"/campaigns/{campaignId}/messages/{messageId}", cancellationToken)).Expect(HttpStatusCode.OK).Json;
}
