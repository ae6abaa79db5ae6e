from cardgen.launch import main

main()
