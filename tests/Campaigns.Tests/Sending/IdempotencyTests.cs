using System.Net;
using Campaigns.Api.Idempotency;
using Campaigns.Api.Security;
using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.Sending;

public sealed class IdempotencyTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ApiResponse> SendAsync(long campaignId, string body, string key) =>
        _api.SendWithIdempotencyKeyAsync(campaignId, body, key, Ct);

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_gets_the_first_response_again()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(3, Ct);
        var key = Guid.NewGuid().ToString();

        var first = await SendAsync(campaignId, $$"""{"customer_ids":[{{string.Join(",", customers)}}]}""", key);
        // Same JSON, other member order and spacing.
        var retry = await SendAsync(campaignId, $$"""{ "extra": null, "customer_ids" : [ {{string.Join(" , ", customers)}} ] }""".Replace("\"extra\": null, ", ""), key);

        first.Expect(HttpStatusCode.Accepted);
        retry.Expect(HttpStatusCode.Accepted);
        Assert.Equal(first.Text, retry.Text);
        Assert.Equal(3, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, Ct));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(2, Ct);
        var key = Guid.NewGuid().ToString();
        (await SendAsync(campaignId, $$"""{"customer_ids":[{{customers[0]}}]}""", key)).Expect(HttpStatusCode.Accepted);

        var other = await SendAsync(campaignId, $$"""{"customer_ids":[{{customers[1]}}]}""", key);

        other.Expect(HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED");
    }

    [Fact]
    public async Task A_failed_request_is_not_remembered()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var key = Guid.NewGuid().ToString();
        var body = $$"""{"customer_ids":[{{customer}}]}""";
        await fixture.Database.ExecuteAsync("UPDATE customers SET opted_out = true WHERE id = @customer", new { customer }, Ct);
        (await SendAsync(campaignId, body, key)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await fixture.Database.ExecuteAsync("UPDATE customers SET opted_out = false WHERE id = @customer", new { customer }, Ct);

        (await SendAsync(campaignId, body, key)).Expect(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_key_held_by_a_running_request_is_in_use()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var key = Guid.NewGuid().ToString();
        // Stand in for a first request still running: hold the key's lock in an open transaction.
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@lockKey)",
            new { lockKey = RequestFingerprint.LockKey(ApiKeyVerifier.CallerName(ApiKeyVerifier.Digest(fixture.Graph.ApiKey)), key) }, transaction, cancellationToken: Ct));

        var response = await SendAsync(campaignId, $$"""{"customer_ids":[{{customer}}]}""", key);

        response.Expect(HttpStatusCode.Conflict, "IDEMPOTENCY_KEY_IN_USE");
        await transaction.RollbackAsync(Ct);
        (await SendAsync(campaignId, $$"""{"customer_ids":[{{customer}}]}""", key)).Expect(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Expired_keys_are_forgotten_and_cleaned_up()
    {
        var customers = await fixture.Database.InsertCustomersAsync(2, Ct);
        var key = Guid.NewGuid().ToString();
        var first = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        (await SendAsync(first, $$"""{"customer_ids":[{{customers[0]}}]}""", key)).Expect(HttpStatusCode.Accepted);
        await fixture.Database.ExecuteAsync(
            "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = @key", new { key }, Ct);

        var second = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        (await SendAsync(second, $$"""{"customer_ids":[{{customers[1]}}]}""", key)).Expect(HttpStatusCode.Accepted);

        await fixture.Database.ExecuteAsync(
            "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = @key", new { key }, Ct);
        Assert.True(await IdempotencyStore.DeleteExpiredAsync(fixture.Database, Ct) >= 1);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = @key", new { key }, Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    public async Task An_overlong_or_empty_key_is_a_validation_error(string seed)
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var key = seed.Length == 0 ? "" : new string('k', 201);

        var response = await SendAsync(campaignId, """{"customer_ids":[1]}""", key);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}
