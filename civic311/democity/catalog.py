"""The demo city's departments and services.

Service codes and names are Chicago's real Open311 codes (shared/data/open311/services/
chicago_service_codes_2023.json, looked up by key), starting with the 14 most requested types
Chicago opened to Open311 in 2012. Questions, service levels and duplicate policies are
realistic but ours: Chicago does not publish its service definitions in that file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from civic311.choices import Datatype, DuplicatePolicy, Priority

CODES_FILE = Path(__file__).parent / "data" / "chicago_service_codes_2023.json"

DEPARTMENTS = [
    ("cdot", "Transportation", "cdot@civic311.localhost"),
    ("streets", "Streets and Sanitation", "streets@civic311.localhost"),
    ("water", "Water Management", "water@civic311.localhost"),
    ("buildings", "Buildings", "buildings@civic311.localhost"),
    ("health", "Public Health", "health@civic311.localhost"),
    ("forestry", "Streets and Sanitation - Forestry", "forestry@civic311.localhost"),
]


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    datatype: str
    required: bool = False
    values: tuple[tuple[str, str], ...] = ()
    datatype_description: str = ""


@dataclass(frozen=True)
class DemoService:
    key: str  # chicagorequests_key in the codes file
    group: str
    department: str
    description: str
    keywords: str
    sla_days: float | None
    duplicates: str = DuplicatePolicy.OFF
    radius_m: int = 50
    priority: str = Priority.NORMAL
    questions: tuple[Question, ...] = field(default=())
    weight: int = 1  # relative frequency in the sample requests


YES_NO = (("yes", "Yes"), ("no", "No"))
WHERE_ON_STREET = (
    ("street", "In the street"),
    ("crosswalk", "In a crosswalk"),
    ("curb_lane", "In the curb lane"),
    ("bike_lane", "In a bike lane"),
    ("intersection", "In an intersection"),
)

SERVICES = [
    DemoService(
        key="pothole",
        group="Streets and Traffic",
        department="cdot",
        description="A hole in the pavement of a street. For alleys, use Alley Pothole.",
        keywords="pothole,hole,road,pavement,street,bache,baches,hoyo",
        sla_days=7,
        duplicates=DuplicatePolicy.LINK,
        radius_m=30,
        weight=12,
        questions=(
            Question(
                "where", "Where is the pothole?", Datatype.SINGLEVALUELIST, True, WHERE_ON_STREET
            ),
            Question(
                "size",
                "About how large is it?",
                Datatype.SINGLEVALUELIST,
                False,
                (
                    ("small", "Smaller than a dinner plate"),
                    ("medium", "Up to a car tyre"),
                    ("large", "Larger than a car tyre"),
                ),
            ),
            Question("count", "How many potholes are there on this block?", Datatype.NUMBER),
        ),
    ),
    DemoService(
        key="graffiti_removal",
        group="Sanitation",
        department="streets",
        description="Paint or marker on a building, fence, sign or other surface.",
        keywords="graffiti,tag,paint,vandalism,grafiti,pintada",
        sla_days=3,
        duplicates=DuplicatePolicy.SUGGEST,
        radius_m=25,
        weight=10,
        questions=(
            Question(
                "surface",
                "What is it painted on?",
                Datatype.SINGLEVALUELIST,
                True,
                (
                    ("brick", "Brick or stone"),
                    ("metal", "Metal"),
                    ("wood", "Wood"),
                    ("glass", "Glass"),
                    ("painted", "A painted surface"),
                    ("other", "Other"),
                ),
            ),
            Question(
                "where",
                "Where on the property is it?",
                Datatype.MULTIVALUELIST,
                False,
                (
                    ("front", "Front"),
                    ("side", "Side"),
                    ("rear", "Rear"),
                    ("garage", "Garage"),
                    ("fence", "Fence"),
                ),
            ),
            Question(
                "offensive",
                "Is it offensive (hateful or gang-related)?",
                Datatype.SINGLEVALUELIST,
                True,
                YES_NO,
            ),
            Question(
                "height",
                "How high above the ground is the highest part (in feet)?",
                Datatype.NUMBER,
            ),
        ),
    ),
    DemoService(
        key="street_light_out",
        group="Streets and Traffic",
        department="cdot",
        description="One or more street lights on a pole are out.",
        keywords="street light,lamp,dark,light out,farola,luz de calle,alumbrado",
        sla_days=5,
        duplicates=DuplicatePolicy.LINK,
        radius_m=40,
        weight=8,
        questions=(
            Question("lights_out", "How many lights are out?", Datatype.NUMBER, True),
            Question("pole_number", "Pole number, if you can read it", Datatype.STRING),
        ),
    ),
    DemoService(
        key="alley_light_out",
        group="Streets and Traffic",
        department="cdot",
        description="A light in an alley is out.",
        keywords="alley light,dark alley,luz del callejón,callejón oscuro",
        sla_days=5,
        duplicates=DuplicatePolicy.LINK,
        radius_m=40,
        weight=3,
    ),
    DemoService(
        key="traffic_signal_out",
        group="Streets and Traffic",
        department="cdot",
        description="A traffic signal is dark, flashing or stuck. If it is dangerous, call 911.",
        keywords="traffic light,signal,stoplight,semáforo",
        sla_days=1,
        duplicates=DuplicatePolicy.LINK,
        radius_m=40,
        priority=Priority.HIGH,
        weight=3,
        questions=(
            Question(
                "state",
                "What is the signal doing?",
                Datatype.SINGLEVALUELIST,
                True,
                (("dark", "All dark"), ("flashing", "Flashing"), ("stuck", "Stuck on one color")),
            ),
            Question(
                "directions",
                "Which directions are affected?",
                Datatype.MULTIVALUELIST,
                False,
                (("n", "Northbound"), ("s", "Southbound"), ("e", "Eastbound"), ("w", "Westbound")),
            ),
        ),
    ),
    DemoService(
        key="rats",
        group="Health and Animals",
        department="streets",
        description="Rats seen outside, or signs of them: burrows, droppings, gnawed carts.",
        keywords="rats,rodents,mice,burrows,ratas,ratones,roedores",
        sla_days=7,
        duplicates=DuplicatePolicy.SUGGEST,
        radius_m=60,
        weight=7,
        questions=(
            Question(
                "seen",
                "Where were they seen?",
                Datatype.MULTIVALUELIST,
                True,
                (
                    ("alley", "Alley"),
                    ("yard", "Yard"),
                    ("carts", "Garbage carts"),
                    ("building", "Around a building"),
                    ("sewer", "Sewer"),
                ),
            ),
            Question(
                "open_garbage",
                "Are there garbage carts without lids?",
                Datatype.SINGLEVALUELIST,
                False,
                YES_NO,
            ),
        ),
    ),
    DemoService(
        key="abandoned_vehicle",
        group="Streets and Traffic",
        department="streets",
        description="A vehicle that has not moved for 7 days or more, or is wrecked.",
        keywords="abandoned car,vehicle,junk car,carro abandonado,auto abandonado,coche abandonado",
        sla_days=14,
        duplicates=DuplicatePolicy.SUGGEST,
        radius_m=30,
        weight=4,
        questions=(
            Question("make", "Make of the vehicle", Datatype.STRING),
            Question("color", "Color", Datatype.STRING),
            Question("plate", "License plate, if any", Datatype.STRING),
            Question("days", "About how many days has it been there?", Datatype.NUMBER, True),
            Question("last_moved", "When did you last see it move?", Datatype.DATETIME),
        ),
    ),
    DemoService(
        key="sanitation_code_violation",
        group="Sanitation",
        department="streets",
        description="Overflowing carts, dumpsters without lids, dog waste and other "
        "sanitation problems on a property.",
        keywords="sanitation,garbage,dumpster,overflowing,basura,contenedor",
        sla_days=14,
        weight=3,
        questions=(
            Question(
                "violation",
                "What is the problem?",
                Datatype.SINGLEVALUELIST,
                True,
                (
                    ("overflowing", "Overflowing carts or dumpster"),
                    ("no_lid", "Dumpster without a lid"),
                    ("dog_waste", "Dog waste"),
                    ("other", "Other"),
                ),
            ),
        ),
    ),
    DemoService(
        key="tree_trim",
        group="Trees",
        department="forestry",
        description="A city tree on the parkway needs trimming (branches low over the street "
        "or sidewalk, or touching wires).",
        keywords="tree,branches,trim,parkway,árbol,ramas,podar",
        sla_days=90,
        weight=4,
        questions=(
            Question(
                "location",
                "Where is the tree?",
                Datatype.SINGLEVALUELIST,
                True,
                (
                    ("parkway", "Parkway (between sidewalk and street)"),
                    ("alley", "Alley"),
                    ("park", "Park"),
                ),
            ),
            Question(
                "wires", "Are branches touching wires?", Datatype.SINGLEVALUELIST, False, YES_NO
            ),
        ),
    ),
    DemoService(
        key="tree_debris_cleanup",
        group="Trees",
        department="forestry",
        description="Fallen branches or tree debris on the parkway, street or alley.",
        keywords="branches,fallen tree,storm,debris,árbol caído,ramas caídas,tormenta",
        sla_days=7,
        duplicates=DuplicatePolicy.SUGGEST,
        radius_m=40,
        weight=3,
    ),
    DemoService(
        key="restaurant",
        group="Health and Animals",
        department="health",
        description="A food establishment that seems unsafe or unclean.",
        keywords="restaurant,food,kitchen,food poisoning,restaurante,comida,intoxicación",
        sla_days=14,
        weight=2,
        questions=(
            Question(
                "problems",
                "What did you notice?",
                Datatype.MULTIVALUELIST,
                True,
                (
                    ("pests", "Rodents or insects"),
                    ("illness", "Food poisoning"),
                    ("dirty", "Unclean premises"),
                    ("temperature", "Food kept warm or cold badly"),
                    ("other", "Other"),
                ),
            ),
            Question("business_name", "Name of the business", Datatype.STRING, True),
            Question("visited_at", "When were you there?", Datatype.DATETIME),
            Question("details", "Anything else the inspector should know", Datatype.TEXT),
        ),
    ),
    DemoService(
        key="vacant_abandoned_building",
        group="Buildings",
        department="buildings",
        description="A building that looks vacant and open, dangerous, or used by trespassers.",
        keywords="vacant,abandoned building,boarded,squatters,edificio abandonado,edificio vacío",
        sla_days=30,
        weight=2,
        questions=(
            Question(
                "open", "Is the building open to entry?", Datatype.SINGLEVALUELIST, True, YES_NO
            ),
            Question(
                "hazards",
                "Which hazards do you see?",
                Datatype.MULTIVALUELIST,
                False,
                (
                    ("fire", "Fire damage"),
                    ("collapse", "Danger of collapse"),
                    ("trespass", "People using it"),
                    ("garbage", "Garbage"),
                ),
            ),
        ),
    ),
    DemoService(
        key="garbage_cart_maintenance",
        group="Sanitation",
        department="streets",
        description="Your black garbage cart is damaged or missing.",
        keywords="garbage cart,bin,lid,wheels,bote de basura,tapa,ruedas",
        sla_days=14,
        weight=3,
        questions=(
            Question(
                "problem",
                "What is wrong with the cart?",
                Datatype.SINGLEVALUELIST,
                True,
                (
                    ("lid", "Broken lid"),
                    ("wheels", "Broken wheels"),
                    ("body", "Cracked body"),
                    ("missing", "Missing"),
                ),
            ),
        ),
    ),
    DemoService(
        key="street_light_pole_damage",
        group="Streets and Traffic",
        department="cdot",
        description="A street light pole is damaged, leaning or knocked down.",
        keywords="light pole,leaning pole,knocked down,poste,poste caído",
        sla_days=10,
        duplicates=DuplicatePolicy.LINK,
        radius_m=40,
        weight=1,
    ),
    DemoService(
        key="sewer_cave_in_inspection",
        group="Water and Sewers",
        department="water",
        description="The ground has sunk or caved in near a sewer or catch basin.",
        keywords="sinkhole,cave-in,sewer,collapse,hundimiento,socavón,alcantarilla",
        sla_days=2,
        duplicates=DuplicatePolicy.LINK,
        radius_m=40,
        priority=Priority.HIGH,
        weight=1,
        questions=(
            Question(
                "where",
                "Where is the cave-in?",
                Datatype.SINGLEVALUELIST,
                True,
                (
                    ("street", "Street"),
                    ("parkway", "Parkway"),
                    ("alley", "Alley"),
                    ("sidewalk", "Sidewalk"),
                ),
            ),
        ),
    ),
    DemoService(
        key="water_on_street",
        group="Water and Sewers",
        department="water",
        description="Water running or pooling on the street when it has not rained.",
        keywords="water,leak,flooding,main break,agua,fuga,inundación",
        sla_days=2,
        duplicates=DuplicatePolicy.LINK,
        radius_m=60,
        priority=Priority.HIGH,
        weight=2,
    ),
    DemoService(
        key="fly_dumping",
        group="Sanitation",
        department="streets",
        description="Garbage, furniture, tires or debris dumped on public or vacant land.",
        keywords="dumping,junk,tires,mattress,debris,tiradero,escombros,llantas,colchón",
        sla_days=7,
        duplicates=DuplicatePolicy.SUGGEST,
        radius_m=40,
        weight=4,
        questions=(
            Question(
                "what",
                "What was dumped?",
                Datatype.MULTIVALUELIST,
                True,
                (
                    ("furniture", "Furniture or mattresses"),
                    ("tires", "Tires"),
                    ("construction", "Construction debris"),
                    ("bags", "Garbage bags"),
                    ("appliances", "Appliances"),
                ),
            ),
            Question(
                "amount",
                "How much?",
                Datatype.SINGLEVALUELIST,
                False,
                (
                    ("small", "A few items"),
                    ("pickup", "A pickup-truck load"),
                    ("large", "More than a truck load"),
                ),
            ),
        ),
    ),
    DemoService(
        key="missed_garbage_pickup",
        group="Sanitation",
        department="streets",
        description="Your garbage was not picked up on your collection day.",
        keywords="garbage,pickup,missed,collection,recolección,no recogieron",
        sla_days=2,
        weight=3,
    ),
    DemoService(
        key="dead_animal_pickup",
        group="Health and Animals",
        department="streets",
        description="A dead animal on the street, alley or parkway.",
        keywords="dead animal,carcass,roadkill,animal muerto",
        sla_days=2,
        duplicates=DuplicatePolicy.LINK,
        radius_m=40,
        weight=2,
    ),
    DemoService(
        key="weed_removal",
        group="Sanitation",
        department="streets",
        description="Weeds over 10 inches tall on a vacant lot or the public way.",
        keywords="weeds,overgrown,vacant lot,maleza,hierba,lote baldío",
        sla_days=21,
        weight=2,
    ),
]


def chicago_codes() -> dict[str, dict[str, str]]:
    """Chicago's real service codes and names, by key."""
    rows = json.loads(CODES_FILE.read_text(encoding="utf-8"))
    return {row["chicagorequests_key"]: row for row in rows}
