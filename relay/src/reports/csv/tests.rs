//! The CSV files of the scripted week (`reports::tests`): every table,
//! names that need quoting or defusing, and numbers as the JSON has them.

use shared::reports::Report;
use shared::AgentId;

use super::{number, table_csv, Table};
use crate::reports::tests::report;

fn lines(report: &Report, table: Table) -> Vec<String> {
    let text = table_csv(report, table);
    assert!(text.ends_with("\r\n"), "{text:?}");
    text.split_terminator("\r\n").map(str::to_owned).collect()
}

#[test]
fn tables_are_found_by_their_file_names() {
    for table in Table::ALL {
        assert_eq!(Table::named(table.name()), Some(table));
    }
    assert_eq!(Table::named("heat_map"), Some(Table::HeatMap));
    assert_eq!(Table::named("overview.csv"), None);
}

#[test]
fn the_overview_has_each_figure_with_its_previous_value_and_change() {
    let lines = lines(&report(false), Table::Overview);
    assert_eq!(lines[0], "figure,value,previous,change_percent");
    assert_eq!(lines[1], "conversations,6,2,200");
    assert_eq!(lines[2], "volume_chat,3,1,200");
    assert_eq!(lines[4], "volume_phone,1,0,");
    assert!(lines.contains(&"first_response_p50_ms,45000,90000,-50".to_owned()));
    assert!(lines.contains(&"csat_score,66.67,0,".to_owned()));
    assert!(lines.contains(&"csat_2,1,,".to_owned()));
    assert_eq!(lines.len(), 1 + 1 + 6 + 14 + 5);
}

#[test]
fn names_are_quoted_and_defused() {
    let mut r = report(false);
    r.by_agent[1].name = "=HYPERLINK(\"http://x\")".into();
    r.by_agent.push(r.by_agent[1].clone());
    r.by_agent[2].agent = AgentId("c".into());
    r.by_agent[2].name = "two\nlines".into();
    let text = table_csv(&r, Table::Agents);
    let expected = "agent,name,conversations,resolved,first_response_p50_ms,resolution_p50_ms,csat_score,csat_count,messages_out\r\n\
        ana,\"Ana, \"\"Lead\"\"\",1,1,45000,1200000,100,1,3\r\n\
        ben,\"'=HYPERLINK(\"\"http://x\"\")\",1,1,64800000,64800000,0,1,1\r\n\
        c,\"two\nlines\",1,1,64800000,64800000,0,1,1\r\n";
    assert_eq!(text, expected);
}

#[test]
fn channels_sites_heat_map_and_buckets() {
    let r = report(false);
    let channels = lines(&r, Table::Channels);
    assert_eq!(channels[1], "chat,3,45000,64800000,1200000,50,2,4,4");
    assert_eq!(channels[2], "email,2,,,,100,1,0,0");
    assert_eq!(channels[6], "web_form,0,,,,,0,0,0");
    assert_eq!(lines(&r, Table::Sites)[1], "s1,6,45000,1200000,66.67,3,4,4");
    let heat = lines(&r, Table::HeatMap);
    assert_eq!(heat.len(), 8);
    assert!(heat[0].starts_with("weekday,00,01,") && heat[0].ends_with(",23"));
    assert_eq!(
        heat[1],
        format!("Monday,{}1,{}", "0,".repeat(9), ["0"; 14].join(","))
    );
    assert!(heat[7].starts_with("Sunday,0,0,0,1,0"));
    let buckets = lines(&r, Table::FirstResponse);
    assert_eq!(
        buckets,
        [
            "bucket,count",
            "under_one_minute,1",
            "one_to_five_minutes,0",
            "five_to_fifteen_minutes,0",
            "fifteen_to_sixty_minutes,0",
            "over_one_hour,1"
        ]
    );
}

#[test]
fn numbers_keep_at_most_two_decimals() {
    assert_eq!(number(None), "");
    assert_eq!(number(Some(200.0)), "200");
    assert_eq!(number(Some(200.0 / 3.0)), "66.67");
    assert_eq!(number(Some(-50.0)), "-50");
    assert_eq!(number(Some(12.5)), "12.5");
    assert_eq!(number(Some(-0.001)), "0");
}
