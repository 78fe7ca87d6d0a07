using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SignInHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KnownSignInIps",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 230,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastTotpStep",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "KnownSignInIps",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "LastTotpStep",
                table: "AspNetUsers");
        }
    }
}
