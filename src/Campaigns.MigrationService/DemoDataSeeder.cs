using Dapper;
using Npgsql;

namespace Campaigns.MigrationService;

/// <summary>
/// Gives a new developer something to call at once: when the database has no customers and no
/// campaigns (Development only), 25 Kenyan customers, some with fields missing, and three campaigns.
/// </summary>
public sealed class DemoDataSeeder(NpgsqlDataSource dataSource, ILogger<DemoDataSeeder> logger)
{
    private static readonly string[] FirstNames =
        ["Amina", "Brian", "Cynthia", "David", "Esther", "Felix", "Grace", "Hassan", "Irene", "James", "Kevin", "Lucy", "Mercy"];
    private static readonly string[] LastNames = ["Otieno", "Wanjiru", "Mwangi", "Kamau", "Achieng", "Njoroge", "Kiprop", ""];
    private static readonly string[] Locations = ["Nairobi", "Mombasa", "Kisumu", "Nakuru", "Eldoret", ""];
    private static readonly string[] Products = ["Running Shoes", "Smartphone", "Solar Lamp", "Backpack", ""];

    public async Task SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        const int customerCount = 25;
        var phones = Enumerable.Range(0, customerCount).Select(i => $"+2547{12_345_000 + i * 37:D8}").ToArray();
        var firstNames = Enumerable.Range(0, customerCount).Select(i => i % 7 == 6 ? "" : FirstNames[i % FirstNames.Length]).ToArray();
        var lastNames = Enumerable.Range(0, customerCount).Select(i => LastNames[i % LastNames.Length]).ToArray();
        var locations = Enumerable.Range(0, customerCount).Select(i => Locations[i % Locations.Length]).ToArray();
        var products = Enumerable.Range(0, customerCount).Select(i => Products[i % Products.Length]).ToArray();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two migration runs at once (two AppHosts on one database) must not both seed.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(7150311002)", transaction: transaction, cancellationToken: cancellationToken));
        var empty = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT NOT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM campaigns)",
            transaction: transaction, cancellationToken: cancellationToken));
        if (!empty)
        {
            return;
        }

        const string insertCustomers = """
            INSERT INTO customers (phone, first_name, last_name, location, preferred_product)
            SELECT * FROM unnest(@phones, @firstNames, @lastNames, @locations, @products)
            """;
        await connection.ExecuteAsync(new CommandDefinition(insertCustomers,
            new { phones, firstNames, lastNames, locations, products }, transaction, cancellationToken: cancellationToken));

        const string insertCampaigns = """
            INSERT INTO campaigns (name, channel, status, base_template, scheduled_at) VALUES
              ('Weekend shoe sale', 'sms', 'draft', 'Hi {first_name}! {preferred_product} are 20% off this weekend.', NULL),
              ('New arrivals on WhatsApp', 'whatsapp', 'draft', 'Hello {first_name} {last_name} 👋 New {preferred_product} just landed. Reply STOP to opt out.', NULL),
              ('Month-end reminder', 'sms', 'scheduled', 'Hi {first_name}, your month-end offer ends soon. Use code {{MONTHEND}}.', now() + interval '1 day')
            """;
        await connection.ExecuteAsync(new CommandDefinition(insertCampaigns, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        Log.DemoDataSeeded(logger, customerCount, 3);
    }
}
