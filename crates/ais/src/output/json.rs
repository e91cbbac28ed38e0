//! gpsd-style JSON, hand-written (no serde): the output is one flat object
//! per message and the writer never allocates.

use std::io::{self, Write};

use crate::bits::Bits;
use crate::decoder::Meta;
use crate::message::{
    Application, AreaNotice, ChannelTarget, Dimensions, Message, MetHydro, MetHydroOld,
    StaticDataPart, SubArea,
};

struct Obj<'w, W: Write> {
    out: &'w mut W,
    first: bool,
}

impl<'w, W: Write> Obj<'w, W> {
    fn new(out: &'w mut W) -> io::Result<Self> {
        out.write_all(b"{")?;
        Ok(Obj { out, first: true })
    }

    fn key(&mut self, k: &str) -> io::Result<()> {
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        write!(self.out, "\"{k}\":")
    }

    fn int(&mut self, k: &str, v: impl Into<i64>) -> io::Result<()> {
        self.key(k)?;
        write!(self.out, "{}", v.into())
    }

    /// A numbered key such as `offset1`.
    fn int_n(&mut self, k: &str, n: usize, v: impl Into<i64>) -> io::Result<()> {
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        write!(self.out, "\"{k}{n}\":{}", v.into())
    }

    fn boolean(&mut self, k: &str, v: bool) -> io::Result<()> {
        self.key(k)?;
        self.out.write_all(if v { b"true" } else { b"false" })
    }

    /// `raw / 10^decimals` printed exactly with that many decimals.
    fn tenths(&mut self, k: &str, raw: i64, decimals: u32) -> io::Result<()> {
        self.key(k)?;
        let d = 10i64.pow(decimals);
        let sign = if raw < 0 { "-" } else { "" };
        let a = raw.unsigned_abs();
        let du = d as u64;
        write!(
            self.out,
            "{sign}{}.{:0w$}",
            a / du,
            a % du,
            w = decimals as usize
        )
    }

    fn float(&mut self, k: &str, v: f64, decimals: usize) -> io::Result<()> {
        self.key(k)?;
        write!(self.out, "{v:.decimals$}")
    }

    fn string(&mut self, k: &str, s: impl Iterator<Item = u8>) -> io::Result<()> {
        self.key(k)?;
        self.out.write_all(b"\"")?;
        for c in s {
            // AIS text is ASCII 32–95; escape what JSON requires.
            match c {
                b'"' => self.out.write_all(b"\\\"")?,
                b'\\' => self.out.write_all(b"\\\\")?,
                0..=31 | 127.. => write!(self.out, "\\u{c:04x}")?,
                _ => self.out.write_all(&[c])?,
            }
        }
        self.out.write_all(b"\"")
    }

    fn data(&mut self, k: &str, bits: Bits<'_>) -> io::Result<()> {
        self.key(k)?;
        let mut s = HexOut(&mut *self.out, Ok(()));
        use std::fmt::Write as _;
        let _ = write!(s, "\"{}:", bits.len());
        let _ = bits.write_hex(&mut s);
        let _ = s.write_str("\"");
        s.1
    }

    fn end(self) -> io::Result<()> {
        self.out.write_all(b"}")
    }
}

// Adapts io::Write to fmt::Write for the hex writer, keeping the io error.
struct HexOut<'a, W: Write>(&'a mut W, io::Result<()>);

impl<W: Write> std::fmt::Write for HexOut<'_, W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        match self.0.write_all(s.as_bytes()) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.1 = Err(e);
                Err(std::fmt::Error)
            }
        }
    }
}

fn lonlat<W: Write>(
    o: &mut Obj<'_, W>,
    lon: i32,
    lat: i32,
    div: f64,
    decimals: usize,
) -> io::Result<()> {
    o.float("lon", f64::from(lon) / div, decimals)?;
    o.float("lat", f64::from(lat) / div, decimals)
}

fn turn<W: Write>(o: &mut Obj<'_, W>, t: i8) -> io::Result<()> {
    o.key("turn")?;
    match t {
        -128 => o.out.write_all(b"\"nan\""),
        127 => o.out.write_all(b"\"fastright\""),
        -127 => o.out.write_all(b"\"fastleft\""),
        t => {
            let r = f64::from(t) / 4.733;
            write!(o.out, "{:.0}", r * r * f64::from(t.signum()))
        }
    }
}

fn dims<W: Write>(
    o: &mut Obj<'_, W>,
    bow: u16,
    stern: u16,
    port: u8,
    starboard: u8,
) -> io::Result<()> {
    o.int("to_bow", bow)?;
    o.int("to_stern", stern)?;
    o.int("to_port", port)?;
    o.int("to_starboard", starboard)
}

/// Writes `msg` as one gpsd-style JSON object (no line end).
pub fn write_json<W: Write>(msg: &Message<'_>, out: &mut W) -> io::Result<()> {
    write_object(msg, None, out)
}

/// Like [`write_json`], adding the receive metadata: `"channel"`, and
/// `"received"` (UNIX milliseconds) when known.
pub fn write_json_with_meta<W: Write>(
    msg: &Message<'_>,
    meta: &Meta,
    out: &mut W,
) -> io::Result<()> {
    write_object(msg, Some(meta), out)
}

fn write_object<W: Write>(msg: &Message<'_>, meta: Option<&Meta>, out: &mut W) -> io::Result<()> {
    let mut o = Obj::new(out)?;
    o.key("class")?;
    o.out.write_all(b"\"AIS\"")?;
    let h = msg.header();
    o.int("type", h.msg_type)?;
    o.int("repeat", h.repeat)?;
    o.int("mmsi", h.mmsi)?;
    o.boolean("scaled", true)?;
    if let Some(meta) = meta {
        if meta.channel != 0 {
            o.string("channel", [meta.channel].into_iter())?;
        }
        if let Some(t) = meta.time_ms {
            o.int("received", t)?;
        }
    }
    match msg {
        Message::Position(m) => {
            o.int("status", m.status)?;
            turn(&mut o, m.turn)?;
            o.tenths("speed", i64::from(m.speed), 1)?;
            o.boolean("accuracy", m.accuracy)?;
            lonlat(&mut o, m.lon, m.lat, 600_000.0, 7)?;
            o.tenths("course", i64::from(m.course), 1)?;
            o.int("heading", m.heading)?;
            o.int("second", m.second)?;
            o.int("maneuver", m.maneuver)?;
            o.boolean("raim", m.raim)?;
            o.int("radio", m.radio)?;
        }
        Message::BaseStation(m) => {
            o.key("timestamp")?;
            write!(
                o.out,
                "\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z\"",
                m.year, m.month, m.day, m.hour, m.minute, m.second
            )?;
            o.boolean("accuracy", m.accuracy)?;
            lonlat(&mut o, m.lon, m.lat, 600_000.0, 7)?;
            o.int("epfd", m.epfd)?;
            o.boolean("raim", m.raim)?;
            o.int("radio", m.radio)?;
        }
        Message::StaticVoyage(m) => {
            o.int("imo", m.imo)?;
            o.int("ais_version", m.ais_version)?;
            o.string("callsign", m.callsign.as_bytes().iter().copied())?;
            o.string("shipname", m.shipname.as_bytes().iter().copied())?;
            o.int("shiptype", m.shiptype)?;
            dims(&mut o, m.to_bow, m.to_stern, m.to_port, m.to_starboard)?;
            o.int("epfd", m.epfd)?;
            o.key("eta")?;
            write!(
                o.out,
                "\"{:02}-{:02}T{:02}:{:02}Z\"",
                m.month, m.day, m.hour, m.minute
            )?;
            o.tenths("draught", i64::from(m.draught), 1)?;
            o.string("destination", m.destination.as_bytes().iter().copied())?;
            o.int("dte", u8::from(m.dte))?;
        }
        Message::AddressedBinary(m) => {
            o.int("seqno", m.seqno)?;
            o.int("dest_mmsi", m.dest_mmsi)?;
            o.boolean("retransmit", m.retransmit)?;
            o.int("dac", m.dac)?;
            o.int("fid", m.fid)?;
            application(&mut o, m.application(), m.data)?;
        }
        Message::Acknowledge(m) => {
            for (i, (mmsi, _)) in m.acks.iter().enumerate() {
                o.int(["mmsi1", "mmsi2", "mmsi3", "mmsi4"][i], *mmsi)?;
            }
        }
        Message::BroadcastBinary(m) => {
            o.int("dac", m.dac)?;
            o.int("fid", m.fid)?;
            application(&mut o, m.application(), m.data)?;
        }
        Message::SarAircraft(m) => {
            o.int("alt", m.alt)?;
            o.int("speed", m.speed)?;
            o.boolean("accuracy", m.accuracy)?;
            lonlat(&mut o, m.lon, m.lat, 600_000.0, 7)?;
            o.tenths("course", i64::from(m.course), 1)?;
            o.int("second", m.second)?;
            o.int("regional", m.regional)?;
            o.int("dte", u8::from(m.dte))?;
            o.boolean("assigned", m.assigned)?;
            o.boolean("raim", m.raim)?;
            o.int("radio", m.radio)?;
        }
        Message::UtcInquiry(m) => o.int("dest_mmsi", m.dest_mmsi)?,
        Message::AddressedSafety(m) => {
            o.int("seqno", m.seqno)?;
            o.int("dest_mmsi", m.dest_mmsi)?;
            o.boolean("retransmit", m.retransmit)?;
            o.string("text", m.text.chars())?;
        }
        Message::BroadcastSafety(m) => o.string("text", m.text.chars())?,
        Message::Interrogation(m) => {
            o.int("mmsi1", m.mmsi1)?;
            o.int("type1_1", m.type1_1)?;
            o.int("offset1_1", m.offset1_1)?;
            o.int("type1_2", m.type1_2)?;
            o.int("offset1_2", m.offset1_2)?;
            o.int("mmsi2", m.mmsi2)?;
            o.int("type2_1", m.type2_1)?;
            o.int("offset2_1", m.offset2_1)?;
        }
        Message::AssignmentMode(m) => {
            o.int("mmsi1", m.mmsi1)?;
            o.int("offset1", m.offset1)?;
            o.int("increment1", m.increment1)?;
            o.int("mmsi2", m.mmsi2)?;
            o.int("offset2", m.offset2)?;
            o.int("increment2", m.increment2)?;
        }
        Message::DgnssBroadcast(m) => {
            lonlat(&mut o, m.lon, m.lat, 600.0, 4)?;
            o.data("data", m.data)?;
        }
        Message::ClassBPosition(m) => {
            o.int("reserved", m.reserved)?;
            o.tenths("speed", i64::from(m.speed), 1)?;
            o.boolean("accuracy", m.accuracy)?;
            lonlat(&mut o, m.lon, m.lat, 600_000.0, 7)?;
            o.tenths("course", i64::from(m.course), 1)?;
            o.int("heading", m.heading)?;
            o.int("second", m.second)?;
            o.int("regional", m.regional)?;
            o.boolean("cs", m.cs)?;
            o.boolean("display", m.display)?;
            o.boolean("dsc", m.dsc)?;
            o.boolean("band", m.band)?;
            o.boolean("msg22", m.msg22)?;
            o.boolean("assigned", m.assigned)?;
            o.boolean("raim", m.raim)?;
            o.int("radio", m.radio)?;
        }
        Message::ClassBExtended(m) => {
            o.int("reserved", m.reserved)?;
            o.tenths("speed", i64::from(m.speed), 1)?;
            o.boolean("accuracy", m.accuracy)?;
            lonlat(&mut o, m.lon, m.lat, 600_000.0, 7)?;
            o.tenths("course", i64::from(m.course), 1)?;
            o.int("heading", m.heading)?;
            o.int("second", m.second)?;
            o.int("regional", m.regional)?;
            o.string("shipname", m.shipname.as_bytes().iter().copied())?;
            o.int("shiptype", m.shiptype)?;
            dims(&mut o, m.to_bow, m.to_stern, m.to_port, m.to_starboard)?;
            o.int("epfd", m.epfd)?;
            o.boolean("raim", m.raim)?;
            o.int("dte", u8::from(m.dte))?;
            o.boolean("assigned", m.assigned)?;
        }
        Message::DataLinkManagement(m) => {
            for (i, r) in m.reservations.iter().enumerate() {
                let n = i + 1;
                o.int_n("offset", n, r.offset)?;
                o.int_n("number", n, r.number)?;
                o.int_n("timeout", n, r.timeout)?;
                o.int_n("increment", n, r.increment)?;
            }
        }
        Message::AidToNavigation(m) => {
            o.int("aid_type", m.aid_type)?;
            o.string("name", m.name.as_bytes().iter().copied())?;
            lonlat(&mut o, m.lon, m.lat, 600_000.0, 7)?;
            o.boolean("accuracy", m.accuracy)?;
            dims(&mut o, m.to_bow, m.to_stern, m.to_port, m.to_starboard)?;
            o.int("epfd", m.epfd)?;
            o.int("second", m.second)?;
            o.int("regional", m.regional)?;
            o.boolean("off_position", m.off_position)?;
            o.boolean("raim", m.raim)?;
            o.boolean("virtual_aid", m.virtual_aid)?;
            o.boolean("assigned", m.assigned)?;
        }
        Message::ChannelManagement(m) => {
            o.int("channel_a", m.channel_a)?;
            o.int("channel_b", m.channel_b)?;
            o.int("txrx", m.txrx)?;
            o.boolean("power", m.power)?;
            let addressed = match m.target {
                ChannelTarget::Area {
                    ne_lon,
                    ne_lat,
                    sw_lon,
                    sw_lat,
                } => {
                    o.float("ne_lon", f64::from(ne_lon) / 600.0, 6)?;
                    o.float("ne_lat", f64::from(ne_lat) / 600.0, 6)?;
                    o.float("sw_lon", f64::from(sw_lon) / 600.0, 6)?;
                    o.float("sw_lat", f64::from(sw_lat) / 600.0, 6)?;
                    false
                }
                ChannelTarget::Addressed { dest1, dest2, .. } => {
                    o.int("dest1", dest1)?;
                    o.int("dest2", dest2)?;
                    true
                }
            };
            o.boolean("addressed", addressed)?;
            o.boolean("band_a", m.band_a)?;
            o.boolean("band_b", m.band_b)?;
            o.int("zonesize", m.zonesize)?;
        }
        Message::GroupAssignment(m) => {
            o.float("ne_lon", f64::from(m.ne_lon) / 600.0, 6)?;
            o.float("ne_lat", f64::from(m.ne_lat) / 600.0, 6)?;
            o.float("sw_lon", f64::from(m.sw_lon) / 600.0, 6)?;
            o.float("sw_lat", f64::from(m.sw_lat) / 600.0, 6)?;
            o.int("stationtype", m.station_type)?;
            o.int("shiptype", m.ship_type)?;
            o.int("txrx", m.txrx)?;
            o.int("interval", m.interval)?;
            o.int("quiet", m.quiet)?;
        }
        Message::StaticData(m) => {
            o.int("partno", m.partno)?;
            match &m.part {
                StaticDataPart::A { shipname } => {
                    o.string("shipname", shipname.as_bytes().iter().copied())?
                }
                StaticDataPart::B {
                    shiptype,
                    vendorid,
                    model,
                    serial,
                    callsign,
                    dims: d,
                    epfd,
                    ..
                } => {
                    o.int("shiptype", *shiptype)?;
                    o.string("vendorid", vendorid.as_bytes().iter().copied())?;
                    o.int("model", *model)?;
                    o.int("serial", *serial)?;
                    o.string("callsign", callsign.as_bytes().iter().copied())?;
                    match *d {
                        Dimensions::Hull {
                            to_bow,
                            to_stern,
                            to_port,
                            to_starboard,
                        } => dims(&mut o, to_bow, to_stern, to_port, to_starboard)?,
                        Dimensions::Mothership(mmsi) => o.int("mothership_mmsi", mmsi)?,
                    }
                    o.int("epfd", *epfd)?;
                }
            }
        }
        Message::SlotBinary(m) => {
            o.boolean("addressed", m.dest_mmsi.is_some())?;
            o.boolean("structured", m.app_id.is_some())?;
            o.int("dest_mmsi", m.dest_mmsi.unwrap_or(0))?;
            o.int("app_id", m.app_id.unwrap_or(0))?;
            o.data("data", m.data)?;
            if let Some(r) = m.radio {
                o.int("radio", r)?;
            }
        }
        Message::LongRange(m) => {
            o.int("status", m.status)?;
            o.boolean("accuracy", m.accuracy)?;
            lonlat(&mut o, m.lon, m.lat, 600.0, 4)?;
            o.int("speed", m.speed)?;
            o.int("course", m.course)?;
            o.boolean("raim", m.raim)?;
            o.boolean("gnss", m.gnss)?;
        }
    }
    o.end()
}

fn application<W: Write>(
    o: &mut Obj<'_, W>,
    app: Application<'_>,
    data: Bits<'_>,
) -> io::Result<()> {
    match app {
        Application::MetHydro(m) => met_hydro(o, &m),
        Application::MetHydroOld(m) => met_hydro_old(o, &m),
        Application::AreaNotice(a) => area_notice(o, &a),
        _ => o.data("data", data),
    }
}

fn met_hydro<W: Write>(o: &mut Obj<'_, W>, m: &MetHydro) -> io::Result<()> {
    o.float("lat", f64::from(m.lat) / 60_000.0, 6)?;
    o.float("lon", f64::from(m.lon) / 60_000.0, 6)?;
    o.boolean("accuracy", m.accuracy)?;
    o.key("timestamp")?;
    write!(o.out, "\"{:02}T{:02}:{:02}Z\"", m.day, m.hour, m.minute)?;
    o.int("wspeed", m.wspeed)?;
    o.int("wgust", m.wgust)?;
    o.int("wdir", m.wdir)?;
    o.int("wgustdir", m.wgustdir)?;
    o.int("humidity", m.humidity)?;
    o.tenths("airtemp", i64::from(m.airtemp), 1)?;
    o.tenths("dewpoint", i64::from(m.dewpoint), 1)?;
    o.int("pressure", i64::from(m.pressure) + 799)?;
    o.int("pressuretend", m.pressuretend)?;
    o.boolean("visgreater", m.visgreater)?;
    o.tenths("visibility", i64::from(m.visibility), 1)?;
    o.tenths("waterlevel", i64::from(m.waterlevel) - 1000, 2)?;
    o.int("leveltrend", m.leveltrend)?;
    o.tenths("cspeed", i64::from(m.cspeed), 1)?;
    o.int("cdir", m.cdir)?;
    o.tenths("cspeed2", i64::from(m.cspeed2), 1)?;
    o.int("cdir2", m.cdir2)?;
    o.int("cdepth2", m.cdepth2)?;
    o.tenths("cspeed3", i64::from(m.cspeed3), 1)?;
    o.int("cdir3", m.cdir3)?;
    o.int("cdepth3", m.cdepth3)?;
    o.tenths("waveheight", i64::from(m.waveheight), 1)?;
    o.int("waveperiod", m.waveperiod)?;
    o.int("wavedir", m.wavedir)?;
    o.tenths("swellheight", i64::from(m.swellheight), 1)?;
    o.int("swellperiod", m.swellperiod)?;
    o.int("swelldir", m.swelldir)?;
    o.int("seastate", m.seastate)?;
    o.tenths("watertemp", i64::from(m.watertemp), 1)?;
    o.int("preciptype", m.preciptype)?;
    o.tenths("salinity", i64::from(m.salinity), 1)?;
    o.int("ice", m.ice)
}

fn met_hydro_old<W: Write>(o: &mut Obj<'_, W>, m: &MetHydroOld) -> io::Result<()> {
    o.float("lat", f64::from(m.lat) / 60_000.0, 6)?;
    o.float("lon", f64::from(m.lon) / 60_000.0, 6)?;
    o.key("timestamp")?;
    write!(o.out, "\"{:02}T{:02}:{:02}Z\"", m.day, m.hour, m.minute)?;
    o.int("wspeed", m.wspeed)?;
    o.int("wgust", m.wgust)?;
    o.int("wdir", m.wdir)?;
    o.int("wgustdir", m.wgustdir)?;
    o.int("humidity", m.humidity)?;
    o.tenths("airtemp", i64::from(m.airtemp) - 600, 1)?;
    o.tenths("dewpoint", i64::from(m.dewpoint) - 200, 1)?;
    o.int("pressure", i64::from(m.pressure) + 800)?;
    o.int("pressuretend", m.pressuretend)?;
    o.tenths("visibility", i64::from(m.visibility), 1)?;
    o.tenths("waterlevel", i64::from(m.waterlevel) - 100, 1)?;
    o.int("leveltrend", m.leveltrend)?;
    o.tenths("cspeed", i64::from(m.cspeed), 1)?;
    o.int("cdir", m.cdir)?;
    o.tenths("cspeed2", i64::from(m.cspeed2), 1)?;
    o.int("cdir2", m.cdir2)?;
    o.int("cdepth2", m.cdepth2)?;
    o.tenths("cspeed3", i64::from(m.cspeed3), 1)?;
    o.int("cdir3", m.cdir3)?;
    o.int("cdepth3", m.cdepth3)?;
    o.tenths("waveheight", i64::from(m.waveheight), 1)?;
    o.int("waveperiod", m.waveperiod)?;
    o.int("wavedir", m.wavedir)?;
    o.tenths("swellheight", i64::from(m.swellheight), 1)?;
    o.int("swellperiod", m.swellperiod)?;
    o.int("swelldir", m.swelldir)?;
    o.int("seastate", m.seastate)?;
    o.tenths("watertemp", i64::from(m.watertemp) - 100, 1)?;
    o.int("preciptype", m.preciptype)?;
    o.tenths("salinity", i64::from(m.salinity), 1)?;
    o.int("ice", m.ice)
}

fn area_notice<W: Write>(o: &mut Obj<'_, W>, a: &AreaNotice<'_>) -> io::Result<()> {
    o.int("linkage_id", a.linkage_id)?;
    o.int("notice_type", a.notice_type)?;
    o.int("month", a.month)?;
    o.int("day", a.day)?;
    o.int("hour", a.hour)?;
    o.int("minute", a.minute)?;
    o.int("duration", a.duration)?;
    o.key("subareas")?;
    o.out.write_all(b"[")?;
    for (i, s) in a.subareas().enumerate() {
        if i > 0 {
            o.out.write_all(b",")?;
        }
        let mut so = Obj::new(&mut *o.out)?;
        match s {
            SubArea::Circle {
                scale,
                lon,
                lat,
                precision,
                radius,
            } => {
                so.string("shape", b"circle".iter().copied())?;
                so.int("scale", scale)?;
                lonlat(&mut so, lon, lat, 60_000.0, 6)?;
                so.int("precision", precision)?;
                so.int("radius", radius)?;
            }
            SubArea::Rectangle {
                scale,
                lon,
                lat,
                precision,
                east,
                north,
                orientation,
            } => {
                so.string("shape", b"rectangle".iter().copied())?;
                so.int("scale", scale)?;
                lonlat(&mut so, lon, lat, 60_000.0, 6)?;
                so.int("precision", precision)?;
                so.int("east", east)?;
                so.int("north", north)?;
                so.int("orientation", orientation)?;
            }
            SubArea::Sector {
                scale,
                lon,
                lat,
                precision,
                radius,
                left,
                right,
            } => {
                so.string("shape", b"sector".iter().copied())?;
                so.int("scale", scale)?;
                lonlat(&mut so, lon, lat, 60_000.0, 6)?;
                so.int("precision", precision)?;
                so.int("radius", radius)?;
                so.int("left", left)?;
                so.int("right", right)?;
            }
            SubArea::Path {
                closed,
                scale,
                points,
            } => {
                let shape: &[u8] = if closed { b"polygon" } else { b"polyline" };
                so.string("shape", shape.iter().copied())?;
                so.int("scale", scale)?;
                so.key("points")?;
                so.out.write_all(b"[")?;
                for (k, (angle, dist)) in points.iter().enumerate() {
                    if k > 0 {
                        so.out.write_all(b",")?;
                    }
                    write!(so.out, "[{angle},{dist}]")?;
                }
                so.out.write_all(b"]")?;
            }
            SubArea::Text(t) => {
                so.string("shape", b"text".iter().copied())?;
                so.string("text", t.as_bytes().iter().copied())?;
            }
            SubArea::Reserved(s) => {
                so.string("shape", b"reserved".iter().copied())?;
                so.int("code", s)?;
            }
        }
        so.end()?;
    }
    o.out.write_all(b"]")
}
