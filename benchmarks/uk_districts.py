"""Real UK postcode districts with approximate centre coordinates and local authority, for
synthetic listings. Positions are rounded centres (good to a few km), enough for map clusters and
"near a postcode" sorting; the inward halves of the postcodes built on them are invented."""

from __future__ import annotations

from dataclasses import dataclass

# outcode | town | lat | lon | local authority | region (picks the Ofcom drama phone range)
_TABLE = """
E1|London|51.5155|-0.0601|Tower Hamlets|LON
E2|London|51.5290|-0.0610|Tower Hamlets|LON
E3|London|51.5280|-0.0230|Tower Hamlets|LON
E5|London|51.5590|-0.0520|Hackney|LON
E8|London|51.5430|-0.0670|Hackney|LON
E15|London|51.5410|0.0000|Newham|LON
E17|London|51.5850|-0.0190|Waltham Forest|LON
N1|London|51.5380|-0.0980|Islington|LON
N7|London|51.5540|-0.1170|Islington|LON
N15|London|51.5820|-0.0800|Haringey|LON
N17|London|51.5970|-0.0700|Haringey|LON
N18|London|51.6150|-0.0650|Enfield|LON
NW1|London|51.5360|-0.1430|Camden|LON
NW5|London|51.5520|-0.1430|Camden|LON
NW10|London|51.5400|-0.2450|Brent|LON
SE1|London|51.5010|-0.0930|Southwark|LON
SE5|London|51.4740|-0.0900|Southwark|LON
SE6|London|51.4400|-0.0200|Lewisham|LON
SE13|London|51.4600|-0.0100|Lewisham|LON
SE18|London|51.4860|0.0700|Greenwich|LON
SW2|London|51.4500|-0.1180|Lambeth|LON
SW9|London|51.4680|-0.1160|Lambeth|LON
SW11|London|51.4660|-0.1640|Wandsworth|LON
SW17|London|51.4280|-0.1650|Wandsworth|LON
SW1V|London|51.4900|-0.1400|Westminster|LON
W2|London|51.5150|-0.1800|Westminster|LON
W6|London|51.4930|-0.2260|Hammersmith and Fulham|LON
W10|London|51.5230|-0.2120|Kensington and Chelsea|LON
W12|London|51.5100|-0.2300|Hammersmith and Fulham|LON
EC1V|London|51.5270|-0.1000|Islington|LON
WC1X|London|51.5280|-0.1180|Camden|LON
CR0|Croydon|51.3760|-0.0980|Croydon|LON
BR1|Bromley|51.4060|0.0150|Bromley|LON
DA1|Dartford|51.4440|0.2170|Dartford|SE
EN1|Enfield|51.6520|-0.0700|Enfield|LON
HA0|Wembley|51.5520|-0.2970|Brent|LON
IG1|Ilford|51.5590|0.0740|Redbridge|LON
KT1|Kingston upon Thames|51.4100|-0.3000|Kingston upon Thames|LON
RM1|Romford|51.5760|0.1830|Havering|LON
SM1|Sutton|51.3640|-0.1900|Sutton|LON
TW3|Hounslow|51.4680|-0.3610|Hounslow|LON
UB1|Southall|51.5110|-0.3760|Ealing|LON
BN1|Brighton|50.8290|-0.1390|Brighton and Hove|SE
BN3|Hove|50.8330|-0.1720|Brighton and Hove|SE
BN21|Eastbourne|50.7680|0.2790|Eastbourne|SE
CT1|Canterbury|51.2800|1.0800|Canterbury|SE
CT9|Margate|51.3860|1.3800|Thanet|SE
ME4|Chatham|51.3800|0.5270|Medway|SE
TN34|Hastings|50.8580|0.5800|Hastings|SE
GU1|Guildford|51.2360|-0.5700|Guildford|SE
RH10|Crawley|51.1120|-0.1870|Crawley|SE
PO1|Portsmouth|50.7990|-1.0900|Portsmouth|SE
SO14|Southampton|50.9050|-1.4000|Southampton|SE
SO15|Southampton|50.9130|-1.4200|Southampton|SE
BH1|Bournemouth|50.7220|-1.8650|Bournemouth, Christchurch and Poole|SW
BH15|Poole|50.7150|-1.9870|Bournemouth, Christchurch and Poole|SW
RG1|Reading|51.4550|-0.9690|Reading|SE
SL1|Slough|51.5100|-0.5950|Slough|SE
OX1|Oxford|51.7520|-1.2580|Oxford|SE
OX4|Oxford|51.7350|-1.2150|Oxford|SE
MK9|Milton Keynes|52.0420|-0.7570|Milton Keynes|SE
LU1|Luton|51.8790|-0.4170|Luton|SE
HP13|High Wycombe|51.6290|-0.7480|Buckinghamshire|SE
SS1|Southend-on-Sea|51.5380|0.7140|Southend-on-Sea|SE
CM1|Chelmsford|51.7360|0.4690|Chelmsford|SE
CO1|Colchester|51.8890|0.9030|Colchester|SE
IP1|Ipswich|52.0590|1.1480|Ipswich|SE
NR1|Norwich|52.6280|1.2990|Norwich|SE
NR30|Great Yarmouth|52.6080|1.7300|Great Yarmouth|SE
PE1|Peterborough|52.5730|-0.2420|Peterborough|MID
CB1|Cambridge|52.2000|0.1370|Cambridge|SE
SG1|Stevenage|51.9030|-0.2000|Stevenage|SE
AL1|St Albans|51.7500|-0.3360|St Albans|SE
WD17|Watford|51.6560|-0.3950|Watford|SE
BS1|Bristol|51.4540|-2.5920|Bristol|SW
BS2|Bristol|51.4630|-2.5850|Bristol|SW
BS5|Bristol|51.4640|-2.5600|Bristol|SW
BA1|Bath|51.3810|-2.3590|Bath and North East Somerset|SW
GL1|Gloucester|51.8640|-2.2440|Gloucester|SW
GL50|Cheltenham|51.9000|-2.0780|Cheltenham|SW
SN1|Swindon|51.5580|-1.7820|Swindon|SW
EX1|Exeter|50.7240|-3.5220|Exeter|SW
EX4|Exeter|50.7300|-3.5400|Exeter|SW
PL1|Plymouth|50.3710|-4.1430|Plymouth|SW
PL4|Plymouth|50.3750|-4.1250|Plymouth|SW
TQ1|Torquay|50.4650|-3.5250|Torbay|SW
TR1|Truro|50.2630|-5.0510|Cornwall|SW
TR18|Penzance|50.1190|-5.5370|Cornwall|SW
TA1|Taunton|51.0150|-3.1000|Somerset|SW
DT1|Dorchester|50.7150|-2.4370|Dorset|SW
SP1|Salisbury|51.0690|-1.7950|Wiltshire|SW
BA21|Yeovil|50.9410|-2.6330|Somerset|SW
B1|Birmingham|52.4800|-1.9050|Birmingham|MID
B5|Birmingham|52.4700|-1.8900|Birmingham|MID
B11|Birmingham|52.4550|-1.8600|Birmingham|MID
B19|Birmingham|52.5000|-1.9000|Birmingham|MID
B23|Birmingham|52.5250|-1.8400|Birmingham|MID
B70|West Bromwich|52.5180|-1.9950|Sandwell|MID
WS1|Walsall|52.5860|-1.9820|Walsall|MID
WV1|Wolverhampton|52.5860|-2.1280|Wolverhampton|MID
DY1|Dudley|52.5120|-2.0870|Dudley|MID
CV1|Coventry|52.4080|-1.5100|Coventry|MID
CV2|Coventry|52.4200|-1.4700|Coventry|MID
CV34|Warwick|52.2820|-1.5850|Warwick|MID
ST1|Stoke-on-Trent|53.0270|-2.1770|Stoke-on-Trent|MID
ST16|Stafford|52.8070|-2.1170|Stafford|MID
TF3|Telford|52.6780|-2.4450|Telford and Wrekin|MID
SY1|Shrewsbury|52.7100|-2.7530|Shropshire|MID
HR1|Hereford|52.0570|-2.7160|Herefordshire|MID
WR1|Worcester|52.1930|-2.2210|Worcester|MID
NN1|Northampton|52.2370|-0.8950|West Northamptonshire|MID
LE1|Leicester|52.6350|-1.1330|Leicester|LEI
LE2|Leicester|52.6200|-1.1200|Leicester|LEI
NG1|Nottingham|52.9540|-1.1500|Nottingham|MID
NG7|Nottingham|52.9550|-1.1750|Nottingham|MID
NG18|Mansfield|53.1400|-1.2000|Mansfield|MID
DE1|Derby|52.9220|-1.4770|Derby|MID
DE23|Derby|52.9000|-1.4900|Derby|MID
LN1|Lincoln|53.2340|-0.5400|Lincoln|MID
DN31|Grimsby|53.5650|-0.0800|North East Lincolnshire|YOR
DN1|Doncaster|53.5230|-1.1330|Doncaster|SHF
S1|Sheffield|53.3810|-1.4700|Sheffield|SHF
S2|Sheffield|53.3700|-1.4600|Sheffield|SHF
S60|Rotherham|53.4300|-1.3560|Rotherham|SHF
S70|Barnsley|53.5530|-1.4800|Barnsley|SHF
S40|Chesterfield|53.2350|-1.4230|Chesterfield|SHF
M1|Manchester|53.4790|-2.2370|Manchester|NW
M4|Manchester|53.4850|-2.2270|Manchester|NW
M13|Manchester|53.4600|-2.2230|Manchester|NW
M14|Manchester|53.4500|-2.2250|Manchester|NW
M40|Manchester|53.5080|-2.2000|Manchester|NW
M6|Salford|53.4900|-2.2800|Salford|NW
M30|Eccles|53.4830|-2.3370|Salford|NW
OL1|Oldham|53.5430|-2.1120|Oldham|NW
BL1|Bolton|53.5780|-2.4300|Bolton|NW
BL9|Bury|53.5930|-2.2960|Bury|NW
WN1|Wigan|53.5450|-2.6310|Wigan|NW
SK1|Stockport|53.4090|-2.1560|Stockport|NW
OL11|Rochdale|53.6100|-2.1600|Rochdale|NW
L1|Liverpool|53.4020|-2.9830|Liverpool|MER
L4|Liverpool|53.4400|-2.9600|Liverpool|MER
L8|Liverpool|53.3900|-2.9650|Liverpool|MER
CH41|Birkenhead|53.3930|-3.0140|Wirral|MER
WA1|Warrington|53.3900|-2.5900|Warrington|NW
WA8|Widnes|53.3620|-2.7340|Halton|MER
PR1|Preston|53.7590|-2.6990|Preston|NW
BB1|Blackburn|53.7480|-2.4820|Blackburn with Darwen|NW
BB11|Burnley|53.7890|-2.2400|Burnley|NW
FY1|Blackpool|53.8170|-3.0510|Blackpool|NW
LA1|Lancaster|54.0470|-2.8010|Lancaster|NW
CA1|Carlisle|54.8930|-2.9330|Cumberland|NW
LA14|Barrow-in-Furness|54.1140|-3.2280|Westmorland and Furness|NW
CW1|Crewe|53.0970|-2.4410|Cheshire East|NW
CH1|Chester|53.1910|-2.8900|Cheshire West and Chester|MER
LS1|Leeds|53.7970|-1.5480|Leeds|YOR
LS2|Leeds|53.8020|-1.5430|Leeds|YOR
LS6|Leeds|53.8190|-1.5720|Leeds|YOR
LS9|Leeds|53.8000|-1.5100|Leeds|YOR
LS11|Leeds|53.7800|-1.5500|Leeds|YOR
BD1|Bradford|53.7940|-1.7520|Bradford|YOR
BD3|Bradford|53.7990|-1.7300|Bradford|YOR
BD21|Keighley|53.8670|-1.9060|Bradford|YOR
HX1|Halifax|53.7230|-1.8600|Calderdale|YOR
HX7|Hebden Bridge|53.7420|-2.0120|Calderdale|YOR
HD1|Huddersfield|53.6460|-1.7850|Kirklees|YOR
WF1|Wakefield|53.6830|-1.4990|Wakefield|YOR
HG1|Harrogate|53.9920|-1.5410|North Yorkshire|YOR
YO1|York|53.9590|-1.0820|York|YOR
YO10|York|53.9480|-1.0530|York|YOR
YO11|Scarborough|54.2800|-0.4050|North Yorkshire|YOR
HU1|Hull|53.7440|-0.3320|Kingston upon Hull|YOR
HU3|Hull|53.7400|-0.3600|Kingston upon Hull|YOR
DN15|Scunthorpe|53.5880|-0.6540|North Lincolnshire|YOR
NE1|Newcastle upon Tyne|54.9720|-1.6150|Newcastle upon Tyne|NE
NE4|Newcastle upon Tyne|54.9700|-1.6500|Newcastle upon Tyne|NE
NE6|Newcastle upon Tyne|54.9750|-1.5700|Newcastle upon Tyne|NE
NE8|Gateshead|54.9570|-1.6000|Gateshead|NE
NE29|North Shields|55.0100|-1.4500|North Tyneside|NE
NE33|South Shields|54.9990|-1.4330|South Tyneside|NE
SR1|Sunderland|54.9060|-1.3800|Sunderland|NE
DH1|Durham|54.7760|-1.5760|County Durham|NE
DL1|Darlington|54.5250|-1.5530|Darlington|NE
TS1|Middlesbrough|54.5740|-1.2350|Middlesbrough|NE
TS24|Hartlepool|54.6900|-1.2100|Hartlepool|NE
TS18|Stockton-on-Tees|54.5650|-1.3180|Stockton-on-Tees|NE
NE61|Morpeth|55.1680|-1.6880|Northumberland|NE
CF10|Cardiff|51.4800|-3.1800|Cardiff|WAL
CF11|Cardiff|51.4800|-3.2000|Cardiff|WAL
CF24|Cardiff|51.4880|-3.1600|Cardiff|WAL
CF31|Bridgend|51.5050|-3.5770|Bridgend|WAL
CF37|Pontypridd|51.6020|-3.3420|Rhondda Cynon Taf|WAL
CF47|Merthyr Tydfil|51.7480|-3.3780|Merthyr Tydfil|WAL
NP20|Newport|51.5880|-2.9980|Newport|WAL
SA1|Swansea|51.6210|-3.9430|Swansea|WAL
SA31|Carmarthen|51.8580|-4.3100|Carmarthenshire|WAL
LL11|Wrexham|53.0460|-2.9930|Wrexham|WAL
LL57|Bangor|53.2270|-4.1290|Gwynedd|WAL
LL30|Llandudno|53.3240|-3.8270|Conwy|WAL
SY23|Aberystwyth|52.4150|-4.0830|Ceredigion|WAL
LD1|Llandrindod Wells|52.2410|-3.3790|Powys|WAL
EH1|Edinburgh|55.9500|-3.1900|City of Edinburgh|EDI
EH6|Edinburgh|55.9720|-3.1730|City of Edinburgh|EDI
EH11|Edinburgh|55.9360|-3.2300|City of Edinburgh|EDI
G1|Glasgow|55.8610|-4.2500|Glasgow City|GLA
G4|Glasgow|55.8700|-4.2550|Glasgow City|GLA
G31|Glasgow|55.8590|-4.2070|Glasgow City|GLA
G51|Glasgow|55.8600|-4.3100|Glasgow City|GLA
PA1|Paisley|55.8450|-4.4240|Renfrewshire|GLA
ML1|Motherwell|55.7890|-3.9910|North Lanarkshire|GLA
KA1|Kilmarnock|55.6110|-4.4950|East Ayrshire|GLA
DD1|Dundee|56.4620|-2.9710|Dundee City|EDI
AB11|Aberdeen|57.1440|-2.0950|Aberdeen City|EDI
AB24|Aberdeen|57.1650|-2.1000|Aberdeen City|EDI
IV1|Inverness|57.4780|-4.2250|Highland|EDI
PH1|Perth|56.3950|-3.4370|Perth and Kinross|EDI
FK8|Stirling|56.1180|-3.9360|Stirling|GLA
KY1|Kirkcaldy|56.1100|-3.1600|Fife|EDI
DG1|Dumfries|55.0700|-3.6050|Dumfries and Galloway|GLA
TD1|Galashiels|55.6150|-2.8100|Scottish Borders|EDI
KW15|Kirkwall|58.9810|-2.9600|Orkney Islands|EDI
ZE1|Lerwick|60.1550|-1.1450|Shetland Islands|EDI
HS1|Stornoway|58.2090|-6.3870|Na h-Eileanan Siar|GLA
BT1|Belfast|54.6000|-5.9300|Belfast|NI
BT7|Belfast|54.5830|-5.9200|Belfast|NI
BT12|Belfast|54.5950|-5.9500|Belfast|NI
BT15|Belfast|54.6200|-5.9400|Belfast|NI
BT20|Bangor|54.6600|-5.6700|Ards and North Down|NI
BT34|Newry|54.1750|-6.3400|Newry, Mourne and Down|NI
BT43|Ballymena|54.8650|-6.2800|Mid and East Antrim|NI
BT48|Derry~Londonderry|54.9970|-7.3200|Derry City and Strabane|NI
BT52|Coleraine|55.1330|-6.6700|Causeway Coast and Glens|NI
BT60|Armagh|54.3480|-6.6540|Armagh City, Banbridge and Craigavon|NI
BT74|Enniskillen|54.3440|-7.6380|Fermanagh and Omagh|NI
"""

# Ofcom's numbers reserved for drama (never assigned to anyone), by region: the first seven or
# eight digits; the generator adds the rest within the reserved block.
DRAMA_PHONE_PREFIXES = {
    "LON": "020 7946 0",
    "SE": "0118 496 0",
    "SW": "0117 496 0",
    "MID": "0121 496 0",
    "LEI": "0116 496 0",
    "SHF": "0114 496 0",
    "NW": "0161 496 0",
    "MER": "0151 496 0",
    "YOR": "0113 496 0",
    "NE": "0191 498 0",
    "WAL": "029 2018 0",
    "EDI": "0131 496 0",
    "GLA": "0141 496 0",
    "NI": "028 9649 6",
    "NATIONAL": "0808 157 0",
}


@dataclass(frozen=True)
class District:
    outcode: str
    town: str
    lat: float
    lon: float
    local_authority: str
    region: str


def _parse(table: str) -> tuple[District, ...]:
    rows = []
    for line in table.strip().splitlines():
        outcode, town, lat, lon, authority, region = line.split("|")
        rows.append(District(outcode, town, float(lat), float(lon), authority, region))
    return tuple(rows)


DISTRICTS = _parse(_TABLE)
