"""The demo city's catalogue in Spanish: every service name, group, description, question and
answer, keyed by its English text (catalog.py). The loader stores them in `translations`."""

# fmt: off
SPANISH = {
    # Groups
    "Streets and Traffic": "Calles y tráfico",
    "Sanitation": "Limpieza",
    "Health and Animals": "Salud y animales",
    "Trees": "Árboles",
    "Buildings": "Edificios",
    "Garbage": "Basura",
    "Water and Sewers": "Agua y alcantarillado",
    # Services
    "Pothole in Street Complaint": "Bache en la calle",
    "A hole in the pavement of a street. For alleys, use Alley Pothole.":
        "Un hoyo en el pavimento de una calle. Para callejones, use Bache en callejón.",
    "Graffiti Removal Request": "Quitar grafiti",
    "Paint or marker on a building, fence, sign or other surface.":
        "Pintura o marcador en un edificio, cerca, letrero u otra superficie.",
    "Street Light Out Complaint": "Farola apagada",
    "One or more street lights on a pole are out.":
        "Una o más luces de un poste de alumbrado están apagadas.",
    "Alley Light Out Complaint": "Luz de callejón apagada",
    "A light in an alley is out.": "Una luz de un callejón está apagada.",
    "Traffic Signal Out Complaint": "Semáforo sin funcionar",
    "A traffic signal is dark, flashing or stuck. If it is dangerous, call 911.":
        "Un semáforo está apagado, parpadea o está atascado. Si es peligroso, llame al 911.",
    "Rodent Baiting/Rat Complaint": "Ratas (cebo para roedores)",
    "Rats seen outside, or signs of them: burrows, droppings, gnawed carts.":
        "Ratas vistas afuera, o señales de ellas: madrigueras, excrementos, contenedores roídos.",
    "Abandoned Vehicle Complaint": "Vehículo abandonado",
    "A vehicle that has not moved for 7 days or more, or is wrecked.":
        "Un vehículo que no se ha movido en 7 días o más, o que está destrozado.",
    "Sanitation Code Violation": "Infracción del código de limpieza",
    "Overflowing carts, dumpsters without lids, dog waste and other sanitation problems on a property.":  # noqa: E501
        "Contenedores desbordados, contenedores sin tapa, excrementos de perro y otros problemas de limpieza en una propiedad.",  # noqa: E501
    "Tree Trim Request": "Podar un árbol",
    "A city tree on the parkway needs trimming (branches low over the street or sidewalk, or touching wires).":  # noqa: E501
        "Un árbol de la ciudad en la franja verde necesita poda (ramas bajas sobre la calle o la acera, o que tocan cables).",  # noqa: E501
    "Tree Debris Clean-Up Request": "Recoger restos de árboles",
    "Fallen branches or tree debris on the parkway, street or alley.":
        "Ramas caídas o restos de árboles en la franja verde, la calle o el callejón.",
    "Restaurant Complaint": "Queja sobre un restaurante",
    "A food establishment that seems unsafe or unclean.":
        "Un establecimiento de comida que parece inseguro o sucio.",
    "Vacant/Abandoned Building Complaint": "Edificio vacío o abandonado",
    "A building that looks vacant and open, dangerous, or used by trespassers.":
        "Un edificio que parece vacío y abierto, peligroso o usado por intrusos.",
    "Garbage Cart Maintenance": "Reparar el contenedor de basura",
    "Your black garbage cart is damaged or missing.":
        "Su contenedor negro de basura está dañado o desapareció.",
    "Street Light Pole Damage Complaint": "Poste de alumbrado dañado",
    "A street light pole is damaged, leaning or knocked down.":
        "Un poste de alumbrado está dañado, inclinado o derribado.",
    "Sewer Cave-In Inspection Request": "Hundimiento cerca de una alcantarilla",
    "The ground has sunk or caved in near a sewer or catch basin.":
        "El suelo se ha hundido cerca de una alcantarilla o un sumidero.",
    "Water On Street Complaint": "Agua en la calle",
    "Water running or pooling on the street when it has not rained.":
        "Agua que corre o se acumula en la calle cuando no ha llovido.",
    "Fly Dumping Complaint": "Basura tirada ilegalmente",
    "Garbage, furniture, tires or debris dumped on public or vacant land.":
        "Basura, muebles, llantas o escombros tirados en terrenos públicos o baldíos.",
    "Missed Garbage Pick-Up Complaint": "No recogieron la basura",
    "Your garbage was not picked up on your collection day.":
        "No recogieron su basura el día de recolección.",
    "Dead Animal Pick-Up Request": "Recoger un animal muerto",
    "A dead animal on the street, alley or parkway.":
        "Un animal muerto en la calle, el callejón o la franja verde.",
    "Weed Removal Request": "Quitar maleza",
    "Weeds over 10 inches tall on a vacant lot or the public way.":
        "Maleza de más de 10 pulgadas de alto en un lote baldío o la vía pública.",
    # Questions
    "Where is the pothole?": "¿Dónde está el bache?",
    "About how large is it?": "¿Más o menos qué tan grande es?",
    "How many potholes are there on this block?": "¿Cuántos baches hay en esta cuadra?",
    "What is it painted on?": "¿Sobre qué está pintado?",
    "Where on the property is it?": "¿En qué parte de la propiedad está?",
    "Is it offensive (hateful or gang-related)?": "¿Es ofensivo (de odio o de pandillas)?",
    "How high above the ground is the highest part (in feet)?":
        "¿A qué altura del suelo está la parte más alta (en pies)?",
    "How many lights are out?": "¿Cuántas luces están apagadas?",
    "Pole number, if you can read it": "Número del poste, si lo puede leer",
    "What is the signal doing?": "¿Qué hace el semáforo?",
    "Which directions are affected?": "¿Qué sentidos están afectados?",
    "Where were they seen?": "¿Dónde las vio?",
    "Are there garbage carts without lids?": "¿Hay contenedores de basura sin tapa?",
    "Make of the vehicle": "Marca del vehículo",
    "Color": "Color",
    "License plate, if any": "Placa, si tiene",
    "About how many days has it been there?": "¿Más o menos cuántos días lleva ahí?",
    "When did you last see it move?": "¿Cuándo lo vio moverse por última vez?",
    "What is the problem?": "¿Cuál es el problema?",
    "Where is the tree?": "¿Dónde está el árbol?",
    "Are branches touching wires?": "¿Las ramas tocan cables?",
    "What did you notice?": "¿Qué notó?",
    "Name of the business": "Nombre del negocio",
    "When were you there?": "¿Cuándo estuvo allí?",
    "Anything else the inspector should know": "Algo más que el inspector deba saber",
    "Is the building open to entry?": "¿Se puede entrar al edificio?",
    "Which hazards do you see?": "¿Qué peligros ve?",
    "What is wrong with the cart?": "¿Qué le pasa al contenedor?",
    "Where is the cave-in?": "¿Dónde está el hundimiento?",
    "What was dumped?": "¿Qué tiraron?",
    "How much?": "¿Cuánto?",
    # Answers
    "In the street": "En la calle",
    "In a crosswalk": "En un paso de peatones",
    "In the curb lane": "En el carril junto a la acera",
    "In a bike lane": "En un carril de bicicletas",
    "In an intersection": "En una intersección",
    "Smaller than a dinner plate": "Más pequeño que un plato",
    "Up to a car tyre": "Hasta el tamaño de una llanta",
    "Larger than a car tyre": "Más grande que una llanta",
    "Brick or stone": "Ladrillo o piedra",
    "Metal": "Metal",
    "Wood": "Madera",
    "Glass": "Vidrio",
    "A painted surface": "Una superficie pintada",
    "Other": "Otro",
    "Front": "Frente",
    "Side": "Lado",
    "Rear": "Parte de atrás",
    "Garage": "Garaje",
    "Fence": "Cerca",
    "Yes": "Sí",
    "No": "No",
    "All dark": "Totalmente apagado",
    "Flashing": "Parpadeando",
    "Stuck on one color": "Atascado en un color",
    "Northbound": "Hacia el norte",
    "Southbound": "Hacia el sur",
    "Eastbound": "Hacia el este",
    "Westbound": "Hacia el oeste",
    "Alley": "Callejón",
    "Yard": "Patio",
    "Garbage carts": "Contenedores de basura",
    "Around a building": "Alrededor de un edificio",
    "Sewer": "Alcantarilla",
    "Overflowing carts or dumpster": "Contenedores desbordados",
    "Dumpster without a lid": "Contenedor sin tapa",
    "Dog waste": "Excrementos de perro",
    "Parkway (between sidewalk and street)": "Franja verde (entre la acera y la calle)",
    "Park": "Parque",
    "Rodents or insects": "Roedores o insectos",
    "Food poisoning": "Intoxicación alimentaria",
    "Unclean premises": "Local sucio",
    "Food kept warm or cold badly": "Comida mal conservada (frío o calor)",
    "Fire damage": "Daños por incendio",
    "Danger of collapse": "Peligro de derrumbe",
    "People using it": "Gente usándolo",
    "Broken lid": "Tapa rota",
    "Broken wheels": "Ruedas rotas",
    "Cracked body": "Cuerpo agrietado",
    "Missing": "Desapareció",
    "Street": "Calle",
    "Parkway": "Franja verde",
    "Sidewalk": "Acera",
    "Furniture or mattresses": "Muebles o colchones",
    "Tires": "Llantas",
    "Construction debris": "Escombros de construcción",
    "Garbage bags": "Bolsas de basura",
    "Appliances": "Electrodomésticos",
    "A few items": "Unas pocas cosas",
    "A pickup-truck load": "Una camioneta llena",
    "More than a truck load": "Más de un camión",
}
# fmt: on


def spanish(**fields: str) -> dict[str, dict[str, str]]:
    """`translations` for a catalogue object: {"es": {field: Spanish text}} for every field whose
    English text has one."""
    found = {name: SPANISH[text] for name, text in fields.items() if text in SPANISH}
    return {"es": found} if found else {}
