using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeyLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RefusedIp",
                table: "KeyUsageDays",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "AllowedIps",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 2200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReplacedByKeyId",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReplacesKeyId",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RefusedIp",
                table: "KeyUsageDays");

            migrationBuilder.DropColumn(
                name: "AllowedIps",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "ReplacedByKeyId",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "ReplacesKeyId",
                table: "ApiKeys");
        }
    }
}
