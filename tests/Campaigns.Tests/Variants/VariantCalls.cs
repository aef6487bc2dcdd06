using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Core.Content;
using Campaigns.Tests.Infrastructure;
using Npgsql;

namespace Campaigns.Tests.Variants;

/// <summary>What the variant tests create, read and wait for.</summary>
public static class VariantCalls
{
    /// <summary>A campaign with these variants (and A/B test), through the API.</summary>
    public static async Task<JsonNode> CreateWithVariantsAsync(this HttpClient api, CancellationToken cancellationToken, object variants,
        object? abTest = null, bool trackLinks = false, string baseTemplate = "Base {first_name}", DateTimeOffset? scheduledAt = null)
    {
        var body = new JsonObject
        {
            ["name"] = Unique.Name("variants"),
            ["channel"] = "sms",
            ["base_template"] = baseTemplate,
            ["track_links"] = trackLinks,
            ["variants"] = JsonSerializerNode(variants),
        };
        if (scheduledAt is { } at)
        {
            body["scheduled_at"] = at.ToString("O");
        }
        if (abTest is not null)
        {
            body["ab_test"] = JsonSerializerNode(abTest);
        }
        return (await api.PostJsonAsync("/campaigns", body.ToJsonString(), cancellationToken)).Expect(HttpStatusCode.Created).Json;
    }

    private static JsonNode? JsonSerializerNode(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value);

    /// <summary>The variants as the campaign answers them, for <see cref="VariantAssignment.Pick"/>.</summary>
    public static VariantContent[] VariantsOf(JsonNode campaign) =>
        [.. campaign["variants"]!.AsArray().Select(v => new VariantContent(v!["key"]!.GetValue<string>(), v["template"]!.GetValue<string>(),
            v["weight"]!.GetValue<int>()))];

    /// <summary>Every message of the campaign (up to 500), by id.</summary>
    public static async Task<List<JsonNode>> MessagesAsync(this HttpClient api, long campaignId, CancellationToken cancellationToken)
    {
        var all = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var data = (await api.GetJsonAsync($"/campaigns/{campaignId}/messages?page_size=100&page={page}", cancellationToken))
                .Expect(HttpStatusCode.OK).Json["data"]!.AsArray();
            all.AddRange(data.Select(m => m!));
            if (data.Count < 100 || page == 5)
            {
                return [.. all.OrderBy(m => m["id"]!.GetValue<long>())];
            }
        }
    }

    /// <summary>Polls the campaign until <paramref name="done"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task<JsonNode> WaitForCampaignAsync(this HttpClient api, long campaignId, Func<JsonNode, bool> done, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var campaign = (await api.GetJsonAsync($"/campaigns/{campaignId}", cancellationToken)).Expect(HttpStatusCode.OK).Json;
            if (done(campaign))
            {
                return campaign;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Campaign {campaignId} did not get there in {timeout.TotalSeconds:0} s: {campaign.ToJsonString()}");
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Customers named Test, with ids in order.</summary>
    public static async Task<long[]> TestCustomersAsync(this NpgsqlDataSource database, int count, CancellationToken cancellationToken)
    {
        var customers = await database.InsertCustomersAsync(count, cancellationToken);
        await database.ExecuteAsync("UPDATE customers SET first_name = 'Test' WHERE id = ANY(@customers)", new { customers }, cancellationToken);
        return customers;
    }

    /// <summary>The mock provider's calls per message of the campaign (every message, zero included).</summary>
    public static async Task<Dictionary<long, long>> CallsPerMessageAsync(this NpgsqlDataSource database, long campaignId,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await Dapper.SqlMapper.QueryAsync<(long Id, long Calls)>(connection, new Dapper.CommandDefinition("""
            SELECT m.id, (SELECT count(*) FROM sender_calls s WHERE s.outbound_message_id = m.id)
            FROM outbound_messages m WHERE m.campaign_id = @campaignId
            """, new { campaignId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.Calls);
    }
}
