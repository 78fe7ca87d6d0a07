using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeyFieldsAndAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Access",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Custom");

            migrationBuilder.AddColumn<string>(
                name: "Fields",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 8000,
                nullable: true);

            // Keys made before this had only read: and write: scopes. Whether one held everything its creator held
            // then is not recorded anywhere, so they are Read-only or Custom; no key's scopes or fields change.
            migrationBuilder.Sql("""
                UPDATE "ApiKeys" SET "Access" = CASE WHEN "Scopes" LIKE '%write:%' THEN 'Custom' ELSE 'ReadOnly' END;
                """);

            migrationBuilder.UpdateData(
                table: "AspNetRoles",
                keyColumn: "Id",
                keyValue: "readonly",
                column: "Description",
                value: "Read-only admin: every read and download permission");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Access",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "Fields",
                table: "ApiKeys");

            migrationBuilder.UpdateData(
                table: "AspNetRoles",
                keyColumn: "Id",
                keyValue: "readonly",
                column: "Description",
                value: "Read-only admin: every read permission");
        }
    }
}
