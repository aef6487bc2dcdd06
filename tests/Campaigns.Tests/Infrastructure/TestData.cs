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

    public static async Task<long> InsertCustomerAsync(this NpgsqlDataSource database, CancellationToken cancellationToken,
        string? phone = null, string firstName = "Test", bool optedOut = false)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO customers (phone, first_name, opted_out) VALUES (@phone, @firstName, @optedOut) RETURNING id",
            new { phone = phone ?? Unique.KenyanPhone(), firstName, optedOut }, cancellationToken: cancellationToken));
    }

    public static async Task ExecuteAsync(this NpgsqlDataSource database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
