using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.Infrastructure;

/// <summary>Creates the rows a test needs, through the API where the API can, else directly.</summary>
public static class TestData
{
    public static async Task<JsonNode> CreateCampaignAsync(this HttpClient client, CancellationToken cancellationToken,
        string channel = "sms", string template = "Hi {first_name}!", string? name = null, DateTimeOffset? scheduledAt = null)
    {
        var body = new JsonObject
        {
            ["name"] = name ?? Unique.Name("campaign"),
            ["channel"] = channel,
            ["base_template"] = template,
        };
        if (scheduledAt is { } at)
        {
            body["scheduled_at"] = at.ToString("O");
        }
        var response = await client.PostJsonAsync("/campaigns", body.ToJsonString(), cancellationToken);
        response.Expect(HttpStatusCode.Created);
        return response.Json;
    }

    /// <summary>A create or update answer as GET answers the campaign: without its <c>warnings</c>.</summary>
    public static string CampaignJson(this JsonNode saved)
    {
        var campaign = saved.DeepClone().AsObject();
        Assert.True(campaign.Remove("warnings"), "a create or update answer has warnings");
        return campaign.ToJsonString();
    }

    public static async Task<long> InsertCustomerAsync(this NpgsqlDataSource database, CancellationToken cancellationToken,
        string? phone = null, string firstName = "Test", bool optedOut = false, string location = "", string product = "")
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO customers (phone, first_name, opted_out, location, preferred_product)
            VALUES (@phone, @firstName, @optedOut, @location, @product) RETURNING id
            """,
            new { phone = phone ?? Unique.KenyanPhone(), firstName, optedOut, location, product }, cancellationToken: cancellationToken));
    }

    /// <summary>Many customers in one statement; returns their ids in insertion order.</summary>
    public static async Task<long[]> InsertCustomersAsync(this NpgsqlDataSource database, int count, CancellationToken cancellationToken,
        string? phonePrefix = null, string location = "")
    {
        var phones = Enumerable.Range(0, count).Select(_ => phonePrefix is null ? Unique.KenyanPhone() : Unique.PhoneWithPrefix(phonePrefix)).ToArray();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            """
            INSERT INTO customers (phone, first_name, location)
            SELECT p, 'Customer ' || o, @location FROM unnest(@phones) WITH ORDINALITY AS t(p, o) ORDER BY o
            RETURNING id
            """, new { phones, location }, cancellationToken: cancellationToken));
        return ids.Order().ToArray();
    }

    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)))!;
    }

    public static async Task ExecuteAsync(this NpgsqlDataSource database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
