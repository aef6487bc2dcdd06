using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.Foundation;

/// <summary>The database itself enforces the rules the API relies on, whatever code writes to it.</summary>
public sealed class SchemaTests(AppFixture fixture)
{
    [Fact]
    public async Task A_second_customer_with_the_same_phone_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var phone = Unique.KenyanPhone();
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        const string insert = "INSERT INTO customers (phone) VALUES (@phone)";
        await connection.ExecuteAsync(new CommandDefinition(insert, new { phone }, cancellationToken: ct));

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync(new CommandDefinition(insert, new { phone }, cancellationToken: ct)));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("customers_phone_key", error.ConstraintName);
    }

    [Fact]
    public async Task One_message_per_customer_per_campaign_and_deletes_cascade()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        var customerId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO customers (phone) VALUES (@phone) RETURNING id", new { phone = Unique.KenyanPhone() }, cancellationToken: ct));
        var campaignId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO campaigns (name, channel, base_template) VALUES ('schema', 'sms', 'Hi') RETURNING id", cancellationToken: ct));
        const string insertMessage = """
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content) VALUES (@campaignId, @customerId, 'Hi')
            """;
        await connection.ExecuteAsync(new CommandDefinition(insertMessage, new { campaignId, customerId }, cancellationToken: ct));

        var duplicate = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync(new CommandDefinition(insertMessage, new { campaignId, customerId }, cancellationToken: ct)));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);

        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM customers WHERE id = @customerId", new { customerId }, cancellationToken: ct));
        var remaining = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, cancellationToken: ct));
        Assert.Equal(0, remaining);
    }

    [Theory]
    [InlineData("campaigns", "channel", "'fax'")]
    [InlineData("campaigns", "status", "'archived'")]
    public async Task Enumerations_are_checked_by_the_database(string table, string column, string value)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        var sql = column == "channel"
            ? $"INSERT INTO {table} (name, channel, base_template) VALUES ('x', {value}, 'Hi')"
            : $"INSERT INTO {table} (name, channel, base_template, {column}) VALUES ('x', 'sms', 'Hi', {value})";

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: ct)));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }
}
